using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Permits.Contracts.Review.V1;
using Permits.Review.Features;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Review.Grpc;

/// <summary>
/// Every call needs a Permits access token (audience permits-review): without one the call fails UNAUTHENTICATED
/// before it gets here. Who acts comes from the token only, resolved once per call (<see cref="OfficerOf"/>); the
/// request's officer fields are deprecated and ignored. The use cases take the <see cref="Officer"/>, never the call.
/// </summary>
[Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme)]
public sealed class CasesService(
    CaseQueries queries,
    AcceptApplication accept,
    ApproveLicence approve,
    RefuseApplication refuse,
    RequestCorrection correction,
    ExtendDecisionPeriod extend,
    ClaimCases claims,
    RecordInspection inspection,
    RecordOpinion opinion,
    CheckLayout layout,
    CaseFiles files,
    RatingFollowUps followUps,
    AssignCase assign,
    RequestExtension extension,
    DeclineExtension declineExtension,
    DeadlineBoards boards,
    ListRefusalGrounds grounds,
    ReviewSettingsAdmin settings,
    HolidayCalendars calendars) : Cases.CasesBase
{
    public override Task<ListQueueResponse> ListQueue(ListQueueRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => queries.ListQueueAsync(request, officer, ct));

    public override Task<Case> GetCase(GetCaseRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => queries.GetAsync(request, officer, ct));

    public override Task<CaseFile> GetCaseFile(GetCaseRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => files.GetAsync(request, officer, ct));

    public override Task<Case> Accept(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => accept.HandleAsync(request, officer, ct));

    public override Task<Case> Approve(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => approve.HandleAsync(request, officer, ct));

    public override Task<Case> RequestCorrection(RequestCorrectionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => correction.HandleAsync(request, officer, ct));

    public override Task<Case> NotAccept(ReasonedActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => refuse.NotAcceptAsync(request, officer, ct));

    public override Task<Case> Deny(ReasonedActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => refuse.DenyAsync(request, officer, ct));

    public override Task<Case> Extend(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => extend.HandleAsync(request, officer, ct));

    public override Task<Case> Claim(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => claims.ClaimAsync(request, officer, ct));

    public override Task<Case> Release(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => claims.ReleaseAsync(request, officer, ct));

    public override Task<Case> ClaimNext(ClaimNextRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => claims.ClaimNextAsync(request, officer, ct));

    public override Task<ClaimManyResponse> ClaimMany(ClaimManyRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => claims.ClaimManyAsync(request, officer, ct));

    public override Task<Case> Assign(AssignRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => assign.HandleAsync(request, officer, context.RequestHeaders.GetValue("authorization"), ct));

    public override Task<Case> RequestExtension(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => extension.HandleAsync(request, officer, ct));

    public override Task<Case> DeclineExtension(CaseActionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => declineExtension.HandleAsync(request, officer, ct));

    public override Task<DeadlineBoard> GetBoard(GetBoardRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => boards.GetAsync(request, officer, ct));

    public override Task<Case> RecordInspection(RecordInspectionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => inspection.HandleAsync(request, officer, context.RequestHeaders.GetValue("authorization"), ct));

    public override Task<PoorRating> RecordRatingFollowUp(RecordRatingFollowUpRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => followUps.RecordAsync(request, officer, ct));

    public override Task<HolidayCalendarYear> PublishHolidayCalendar(PublishHolidayCalendarRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => calendars.PublishAsync(request, officer, ct));

    public override Task<HolidayCalendarList> ListHolidayCalendars(ListHolidayCalendarsRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => calendars.ListAsync(officer, ct));

    public override Task<Case> RecordOpinion(RecordOpinionRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => opinion.HandleAsync(request, officer, ct));

    public override Task<LayoutCheck> CheckLayout(CheckLayoutRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => layout.HandleAsync(request, officer, ct));

    public override Task<RefusalGroundList> ListRefusalGrounds(ListRefusalGroundsRequest request, ServerCallContext context) =>
        As(context, (officer, _) => grounds.HandleAsync(request, officer));

    public override Task<ReviewSettings> GetReviewSettings(GetReviewSettingsRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => settings.GetAsync(request, officer, ct));

    public override Task<ReviewSettings> UpdateReviewSettings(UpdateReviewSettingsRequest request, ServerCallContext context) =>
        As(context, (officer, ct) => settings.UpdateAsync(request, officer, ct));

    /// <summary>The county's decision limits in force, for anyone (the guide).</summary>
    [AllowAnonymous]
    public override Task<PromisedLimits> GetPromisedLimits(GetPromisedLimitsRequest request, ServerCallContext context) =>
        settings.PromisedLimitsAsync(request, context.CancellationToken);

    private static Task<T> As<T>(ServerCallContext call, Func<Officer, CancellationToken, Task<T>> handle) =>
        handle(OfficerOf(call), call.CancellationToken);

    /// <summary>
    /// The officer calling. No valid token: UNAUTHENTICATED (<see cref="Officer.From"/>). A signed-in caller who is no
    /// county officer (no officer role, no county) is not turned away here but by the guard of the step they ask for,
    /// so their refusal is audited against the case like every other.
    /// </summary>
    private static Officer OfficerOf(ServerCallContext call)
    {
        var caller = CallerIdentity.From(call);
        var peer = call.Peer ?? "";
        if (Officer.TryFrom(caller, peer) is { } officer)
        {
            return officer;
        }

        return caller.IsAuthenticated
            ? new Officer(caller.Subject!, caller.Name ?? "", PermitsRoles.Officer.Where(caller.IsInRole).ToHashSet(StringComparer.Ordinal),
                caller.County ?? "", peer)
            : Officer.From(caller, peer);
    }
}
