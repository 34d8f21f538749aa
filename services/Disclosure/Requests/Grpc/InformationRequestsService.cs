using Grpc.Core;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Disclosure.Requests;

/// <summary>The public side of 依申请公开: anyone files; the requester follows with number and query code. No token.</summary>
public sealed class InformationRequestsService(FileRequest file, FollowRequest follow) : InformationRequests.InformationRequestsBase
{
    public override Task<FiledInformationRequest> FileRequest(FileInformationRequest request, ServerCallContext context) =>
        file.HandleAsync(request, context.CancellationToken);

    public override Task<InformationRequestView> FollowRequest(FollowInformationRequest request, ServerCallContext context) =>
        follow.FollowAsync(request, context.CancellationToken);

    public override Task<InformationRequestView> SubmitCorrection(SubmitInformationCorrection request, ServerCallContext context) =>
        follow.SubmitCorrectionAsync(request, context.CancellationToken);
}
