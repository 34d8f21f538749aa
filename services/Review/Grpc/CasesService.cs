using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Review.Features;
using Permits.Shared.Security;

namespace Permits.Review.Grpc;

/// <summary>
/// Every call needs a Permits access token (audience permits-review): without one the call fails UNAUTHENTICATED
/// before it gets here. Who acts comes from the token only (<see cref="OfficerContexts"/>); the request's officer
/// fields are deprecated and ignored.
/// </summary>
[Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme)]
public sealed class CasesService(
    OfficerContexts officers,
    AuditTrail audit,
    CaseQueries queries,
    AcceptApplication accept,
    ApproveLicence approve,
    RefuseApplication refuse,
    RequestCorrection correction,
    ExtendDecisionPeriod extend,
    ClaimCases claims,
    RecordInspection inspection,
    RecordOpinion opinion,
    CheckLayout layout) : Cases.CasesBase
{
    public override Task<ListQueueResponse> ListQueue(ListQueueRequest request, ServerCallContext context) =>
        queries.ListQueueAsync(request, officers.From(context, ReviewAction.ViewQueue), context.CancellationToken);

    public override async Task<Case> GetCase(GetCaseRequest request, ServerCallContext context)
    {
        var officer = officers.From(context, ReviewAction.ViewCase);
        var found = await queries.GetAsync(request, context.CancellationToken);
        var verdict = ReviewPolicy.Decide(officer, ReviewAction.ViewCase, found.CountyCode);
        if (!verdict.Allowed)
        {
            await audit.RefusedAsync(officer, ReviewAction.ViewCase, Guid.Parse(found.CaseId), found.CountyCode, verdict.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }

        return found;
    }

    public override Task<Case> Accept(CaseActionRequest request, ServerCallContext context) =>
        accept.HandleAsync(request, officers.From(context, ReviewAction.Accept), context.CancellationToken);

    public override Task<Case> Approve(CaseActionRequest request, ServerCallContext context) =>
        approve.HandleAsync(request, officers.From(context, ReviewAction.Approve), context.CancellationToken);

    public override Task<Case> RequestCorrection(RequestCorrectionRequest request, ServerCallContext context) =>
        correction.HandleAsync(request, officers.From(context, ReviewAction.RequestCorrection), context.CancellationToken);

    public override Task<Case> NotAccept(ReasonedActionRequest request, ServerCallContext context) =>
        refuse.NotAcceptAsync(request, officers.From(context, ReviewAction.NotAccept), context.CancellationToken);

    public override Task<Case> Deny(ReasonedActionRequest request, ServerCallContext context) =>
        refuse.DenyAsync(request, officers.From(context, ReviewAction.Deny), context.CancellationToken);

    public override Task<Case> Extend(CaseActionRequest request, ServerCallContext context) =>
        extend.HandleAsync(request, officers.From(context, ReviewAction.Extend), context.CancellationToken);

    public override Task<Case> Claim(CaseActionRequest request, ServerCallContext context) =>
        claims.ClaimAsync(request, officers.From(context, ReviewAction.Claim), context.CancellationToken);

    public override Task<Case> Release(CaseActionRequest request, ServerCallContext context) =>
        claims.ReleaseAsync(request, officers.From(context, ReviewAction.Release), context.CancellationToken);

    public override Task<Case> ClaimNext(ClaimNextRequest request, ServerCallContext context) =>
        claims.ClaimNextAsync(request, officers.From(context, ReviewAction.Claim), context.CancellationToken);

    public override Task<Case> RecordInspection(RecordInspectionRequest request, ServerCallContext context) =>
        inspection.HandleAsync(
            request, officers.From(context, ReviewAction.RecordInspection), context.RequestHeaders.GetValue("authorization"), context.CancellationToken);

    public override Task<Case> RecordOpinion(RecordOpinionRequest request, ServerCallContext context) =>
        opinion.HandleAsync(request, officers.From(context, ReviewAction.RecordOpinion), context.CancellationToken);

    public override Task<LayoutCheck> CheckLayout(CheckLayoutRequest request, ServerCallContext context) =>
        layout.HandleAsync(request, officers.From(context, ReviewAction.ViewCase), context.CancellationToken);
}
