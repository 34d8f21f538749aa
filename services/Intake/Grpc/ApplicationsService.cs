using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Features;

namespace Permits.Intake.Grpc;

public sealed class ApplicationsService(SubmitApplication submit, GetApplication get) : Applications.ApplicationsBase
{
    public override Task<SubmitApplicationResponse> Submit(SubmitApplicationRequest request, ServerCallContext context) =>
        submit.HandleAsync(request, context.CancellationToken);

    public override Task<Application> GetApplication(GetApplicationRequest request, ServerCallContext context) =>
        get.HandleAsync(request, context.CancellationToken);
}
