using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>
/// The disclosure clerk's desk. Every call needs a Permits access token (audience permits-disclosure): without one
/// it fails UNAUTHENTICATED before it gets here. The clerk and their county come from the token only
/// (<see cref="Officer"/>); what they may do is decided by the desk's steps (<see cref="DisclosureSteps"/>).
/// </summary>
[Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme)]
public sealed class InformationRequestDeskService(
    DeskQueries queries,
    DeskCorrection correction,
    DeskConsultation consultation,
    DeskAnswer answer,
    DeskAppeals appeals,
    IRequestYearFigures figures) : InformationRequestDesk.InformationRequestDeskBase
{
    public override Task<ListInformationRequestsResponse> ListQueue(ListInformationRequestsRequest request, ServerCallContext context) =>
        ViewingAsync(context, (clerk, ct) => queries.ListAsync(request, clerk, ct));

    public override Task<InformationRequestView> GetRequest(GetInformationRequestRequest request, ServerCallContext context) =>
        ViewingAsync(context, (clerk, ct) => queries.GetAsync(request, clerk, ct));

    public override Task<InformationRequestFigures> GetYearFigures(GetInformationRequestFiguresRequest request, ServerCallContext context) =>
        ViewingAsync(context, async (clerk, ct) =>
        {
            if (request.Year is < 2000 or > 9998)
            {
                new FieldErrors().Add("year", "请填写统计年度（2000–9998）").ThrowIfAny();
            }

            var requests = await figures.ForYearAsync(clerk.CountyCode, request.Year, ct);
            var appealed = await figures.AppealsForYearAsync(clerk.CountyCode, request.Year, ct);
            return RequestFigures.ToMessage(clerk.CountyCode, request.Year, requests, appealed);
        });

    public override Task<InformationRequestView> RequestCorrection(RequestInformationCorrection request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => correction.RequestAsync(request, clerk, ct));

    public override Task<InformationRequestView> CloseOverdueCorrection(CloseOverdueCorrectionRequest request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => correction.CloseOverdueAsync(request, clerk, ct));

    public override Task<InformationRequestView> StartConsultation(StartThirdPartyConsultation request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => consultation.StartAsync(request, clerk, ct));

    public override Task<InformationRequestView> EndConsultation(EndThirdPartyConsultation request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => consultation.EndAsync(request, clerk, ct));

    public override Task<InformationRequestView> Extend(ExtendInformationRequest request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => answer.ExtendAsync(request, clerk, ct));

    public override Task<InformationRequestView> Answer(AnswerInformationRequest request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => answer.AnswerAsync(request, clerk, ct));

    public override Task<InformationRequestView> RecordAppeal(RecordInformationAppeal request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => appeals.RecordAsync(request, clerk, ct));

    public override Task<InformationRequestView> RecordAppealOutcome(RecordInformationAppealOutcome request, ServerCallContext context) =>
        ActingAsync(context, (clerk, ct) => appeals.RecordOutcomeAsync(request, clerk, ct));

    /// <summary>Reading the desk: the county's disclosure clerk only (PERMISSION_DENIED for anyone else).</summary>
    private static async Task<T> ViewingAsync<T>(ServerCallContext context, Func<Officer, CancellationToken, Task<T>> read) =>
        await read((await Officer.FromAsync(context)).Require(DisclosureSteps.ViewDesk), context.CancellationToken);

    /// <summary>A step on a request: the step itself decides (and audits) whether this officer may take it.</summary>
    private static async Task<T> ActingAsync<T>(ServerCallContext context, Func<Officer, CancellationToken, Task<T>> step) =>
        await step(await Officer.FromAsync(context), context.CancellationToken);
}
