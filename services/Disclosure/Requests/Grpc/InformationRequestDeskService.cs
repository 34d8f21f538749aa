using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Security;

namespace Permits.Disclosure.Requests;

/// <summary>
/// The disclosure clerk's desk. Every call needs a Permits access token (audience permits-disclosure): without one
/// it fails UNAUTHENTICATED before it gets here. The clerk and their county come from the token only.
/// </summary>
[Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme)]
public sealed class InformationRequestDeskService(
    DeskQueries queries,
    DeskActions actions,
    IRequestYearFigures figures) : InformationRequestDesk.InformationRequestDeskBase
{
    public override Task<ListInformationRequestsResponse> ListQueue(ListInformationRequestsRequest request, ServerCallContext context) =>
        queries.ListAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> GetRequest(GetInformationRequestRequest request, ServerCallContext context) =>
        queries.GetAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> RequestCorrection(RequestInformationCorrection request, ServerCallContext context) =>
        actions.RequestCorrectionAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> StartConsultation(StartThirdPartyConsultation request, ServerCallContext context) =>
        actions.StartConsultationAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> EndConsultation(EndThirdPartyConsultation request, ServerCallContext context) =>
        actions.EndConsultationAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> Extend(ExtendInformationRequest request, ServerCallContext context) =>
        actions.ExtendAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> Answer(AnswerInformationRequest request, ServerCallContext context) =>
        actions.AnswerAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> CloseOverdueCorrection(CloseOverdueCorrectionRequest request, ServerCallContext context) =>
        actions.CloseOverdueCorrectionAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> RecordAppeal(RecordInformationAppeal request, ServerCallContext context) =>
        actions.RecordAppealAsync(request, Clerk.From(context), context.CancellationToken);

    public override Task<InformationRequestView> RecordAppealOutcome(RecordInformationAppealOutcome request, ServerCallContext context) =>
        actions.RecordAppealOutcomeAsync(request, Clerk.From(context), context.CancellationToken);

    public override async Task<InformationRequestFigures> GetYearFigures(GetInformationRequestFiguresRequest request, ServerCallContext context)
    {
        var clerk = Clerk.From(context);
        if (request.Year is < 2000 or > 9998)
        {
            new Permits.Shared.Domain.FieldErrors().Add("year", "请填写统计年度（2000–9998）").ThrowIfAny();
        }

        var requests = await figures.ForYearAsync(clerk.CountyCode, request.Year, context.CancellationToken);
        var appeals = await figures.AppealsForYearAsync(clerk.CountyCode, request.Year, context.CancellationToken);
        return RequestFigures.ToMessage(clerk.CountyCode, request.Year, requests, appeals);
    }
}
