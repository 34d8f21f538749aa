using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Features;

namespace Permits.Disclosure.Grpc;

/// <summary>The public log: anyone may read it (it holds only what the public may see) and verify its chain.</summary>
public sealed class DisclosureLogService(ListRecords list, VerifyChain verify, Register register)
    : DisclosureLog.DisclosureLogBase
{
    public override Task<ListRecordsResponse> ListRecords(ListRecordsRequest request, ServerCallContext context) =>
        list.HandleAsync(request, province: null, context.CancellationToken);

    public override Task<VerifyChainResponse> VerifyChain(VerifyChainRequest request, ServerCallContext context) =>
        verify.HandleAsync(context.CancellationToken);

    public override Task<ListRegisterResponse> ListRegister(ListRegisterRequest request, ServerCallContext context) =>
        register.SearchAsync(request, context.CancellationToken);

    public override Task<ListRegisterResponse> ListLatePublications(
        ListLatePublicationsRequest request, ServerCallContext context) =>
        register.LateAsync(request, context.CancellationToken);
}
