using Grpc.Core;
using Grpc.Net.ClientFactory;
using Permits.Contracts.Intake.V1;

namespace Permits.Delivery.Security;

/// <summary>
/// Whether the signed-in applicant owns an application. Intake owns applications and their owners, so Delivery asks
/// it: GetMyApplication with the applicant's own token (forwarded), which Intake answers only for the owner
/// (<c>Services:Intake:Url</c>). Anything but a clear yes is a no: if Intake cannot be asked, the pickup code is not
/// shown (the applicant sees the rest of the shipment and may refresh).
/// </summary>
public sealed partial class ApplicationOwners(GrpcClientFactory clients, ILogger<ApplicationOwners> logger)
{
    public const string ClientName = "delivery-intake";

    /// <summary>Every question gets this long: a person is waiting for the page.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public async Task<bool> IsOwnerAsync(Guid applicationId, string authorization, CancellationToken cancellationToken)
    {
        try
        {
            var intake = clients.CreateClient<Applications.ApplicationsClient>(ClientName);
            var application = await intake.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = applicationId.ToString() },
                new Metadata { { "Authorization", authorization } },
                DateTime.UtcNow.Add(Deadline),
                cancellationToken);
            return application.OwnerView && Guid.TryParse(application.ApplicationId, out var id) && id == applicationId;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied
                                          or StatusCode.Unauthenticated or StatusCode.InvalidArgument)
        {
            return false;
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogIntakeUnavailable(logger, ex, applicationId);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not ask Intake who owns application {ApplicationId}: the pickup code stays hidden")]
    private static partial void LogIntakeUnavailable(ILogger logger, Exception exception, Guid applicationId);
}
