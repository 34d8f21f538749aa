using Grpc.Core;
using Permits.Contracts.Notifications.V1;
using Permits.Notifications.Features;
using Permits.Shared.Steps;

namespace Permits.Notifications.Grpc;

/// <summary>Thin gRPC face: the caller comes from the bearer token only (a county officer), never the request.</summary>
public sealed class MessagesService(ListMessages list, GetClerkNotice notices) : Messages.MessagesBase
{
    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context) =>
        await list.HandleAsync(request, await Officer.FromAsync(context), context.CancellationToken);

    public override async Task<ClerkNotice> GetClerkNotice(GetClerkNoticeRequest request, ServerCallContext context) =>
        await notices.HandleAsync(request, await Officer.FromAsync(context), context.CancellationToken);
}
