using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Review.Features;

namespace Permits.Review.Grpc;

public sealed class CasesService(
    OfficerContexts officers,
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
        queries.ListQueueAsync(
            request, officers.From(context, request.OfficerId, request.OfficerRole, request.OfficerCountyCode), context.CancellationToken);

    public override Task<Case> GetCase(GetCaseRequest request, ServerCallContext context) =>
        queries.GetAsync(request, context.CancellationToken);

    public override Task<Case> Accept(CaseActionRequest request, ServerCallContext context) =>
        accept.HandleAsync(request, Officer(context, request), context.CancellationToken);

    public override Task<Case> Approve(CaseActionRequest request, ServerCallContext context) =>
        approve.HandleAsync(request, Officer(context, request), context.CancellationToken);

    public override Task<Case> RequestCorrection(RequestCorrectionRequest request, ServerCallContext context) =>
        correction.HandleAsync(request, Officer(context, request.Action), context.CancellationToken);

    public override Task<Case> NotAccept(ReasonedActionRequest request, ServerCallContext context) =>
        refuse.NotAcceptAsync(request, Officer(context, request.Action), context.CancellationToken);

    public override Task<Case> Deny(ReasonedActionRequest request, ServerCallContext context) =>
        refuse.DenyAsync(request, Officer(context, request.Action), context.CancellationToken);

    public override Task<Case> Extend(CaseActionRequest request, ServerCallContext context) =>
        extend.HandleAsync(request, Officer(context, request), context.CancellationToken);

    public override Task<Case> Claim(CaseActionRequest request, ServerCallContext context) =>
        claims.ClaimAsync(request, Officer(context, request), context.CancellationToken);

    public override Task<Case> Release(CaseActionRequest request, ServerCallContext context) =>
        claims.ReleaseAsync(request, Officer(context, request), context.CancellationToken);

    public override Task<Case> ClaimNext(ClaimNextRequest request, ServerCallContext context) =>
        claims.ClaimNextAsync(request, Officer(context, request.Action), context.CancellationToken);

    public override Task<Case> RecordInspection(RecordInspectionRequest request, ServerCallContext context) =>
        inspection.HandleAsync(request, Officer(context, request.Action), context.CancellationToken);

    public override Task<Case> RecordOpinion(RecordOpinionRequest request, ServerCallContext context) =>
        opinion.HandleAsync(request, Officer(context, request.Action), context.CancellationToken);

    public override Task<LayoutCheck> CheckLayout(CheckLayoutRequest request, ServerCallContext context) =>
        layout.HandleAsync(request, Officer(context, request.Action), context.CancellationToken);

    private OfficerContext Officer(ServerCallContext context, CaseActionRequest? request) =>
        request is null
            ? officers.From(context, "", "", "")
            : officers.From(context, request.OfficerId, request.OfficerRole, request.OfficerCountyCode, request.OfficerName);
}
