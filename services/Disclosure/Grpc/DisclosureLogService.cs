using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Features;

namespace Permits.Disclosure.Grpc;

public sealed class DisclosureLogService(ListRecords list) : DisclosureLog.DisclosureLogBase
{
    public override Task<ListRecordsResponse> ListRecords(ListRecordsRequest request, ServerCallContext context) =>
        list.HandleAsync(request, context.CancellationToken);
}
