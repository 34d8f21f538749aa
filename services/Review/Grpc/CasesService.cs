using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Features;

namespace Permits.Review.Grpc;

public sealed class CasesService(CaseQueries queries, AcceptApplication accept, ApproveLicence approve) : Cases.CasesBase
{
    public override Task<ListQueueResponse> ListQueue(ListQueueRequest request, ServerCallContext context) =>
        queries.ListQueueAsync(request, context.CancellationToken);

    public override Task<Case> GetCase(GetCaseRequest request, ServerCallContext context) =>
        queries.GetAsync(request, context.CancellationToken);

    public override Task<Case> Accept(CaseActionRequest request, ServerCallContext context) =>
        accept.HandleAsync(request, context.CancellationToken);

    public override Task<Case> Approve(CaseActionRequest request, ServerCallContext context) =>
        approve.HandleAsync(request, context.CancellationToken);
}
