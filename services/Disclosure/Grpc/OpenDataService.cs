using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Features;
using Permits.Disclosure.Platforms;

namespace Permits.Disclosure.Grpc;

/// <summary>
/// The platforms' interface, over gRPC and (JSON transcoding, see open_data.proto) REST: every call passes
/// <see cref="PlatformAccess"/> and reads only the caller's province.
/// </summary>
public sealed class OpenDataService(
    PlatformAccess access, ListRecords list, ExportRecords export, ApplicationProgressQuery progress)
    : OpenData.OpenDataBase
{
    public override async Task<ListRecordsResponse> ListChanges(ListRecordsRequest request, ServerCallContext context)
    {
        var caller = await access.AuthorizeAsync(context.GetHttpContext(), request.CountyCode);
        return await list.HandleAsync(request, caller.Province, context.CancellationToken);
    }

    public override async Task ExportRecords(
        ExportRecordsRequest request, IServerStreamWriter<Record> responseStream, ServerCallContext context)
    {
        var caller = await access.AuthorizeAsync(context.GetHttpContext(), request.CountyCode);
        Features.ExportRecords.Validate(request);
        await foreach (var row in export.ReadAsync(request, caller.Province, context.CancellationToken))
        {
            await responseStream.WriteAsync(row.ToMessage(), context.CancellationToken);
        }
    }

    public override async Task<ApplicationProgress> GetApplicationProgress(
        GetApplicationProgressRequest request, ServerCallContext context)
    {
        var caller = await access.AuthorizeAsync(context.GetHttpContext(), "");
        return await progress.HandleAsync(request, caller.Province, context.CancellationToken);
    }
}
