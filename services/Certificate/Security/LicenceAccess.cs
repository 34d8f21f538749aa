using Dapper;
using Grpc.Core;
using Grpc.Net.ClientFactory;
using Permits.Certificate.Features;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Data;
using Permits.Shared.Security;

namespace Permits.Certificate.Security;

/// <summary>
/// Who may see and change a licence, from the caller's access token (scheme <see cref="PermitsAuthentication.Scheme"/>,
/// audience permits-certificate), authenticated per call because Verify and the status list stay open to anyone.
/// <list type="bullet">
/// <item>Officers (any officer role and a county claim) see the licences of their own county; lifecycle steps are
/// officer steps (<see cref="Features.Lifecycle.OfficerLifecycle"/>).</item>
/// <item>The holder is the applicant who applied: Intake owns who that is (the application's owner, set from the
/// token at submission), so Certificate asks Intake's GetMyApplication for the licence's application, forwarding the
/// caller's own token; Intake answers only its owner. Config <c>Services:Intake:Url</c>.</item>
/// </list>
/// No token: UNAUTHENTICATED. Anyone else: PERMISSION_DENIED, with nothing about the licence in the message.
/// </summary>
public sealed partial class LicenceAccess(
    GrpcClientFactory clients,
    ServiceDatabase<CertificateModule> database,
    IConfiguration configuration,
    ILogger<LicenceAccess> logger)
{
    public const string IntakeClient = "certificate-intake";

    private static readonly TimeSpan IntakeDeadline = TimeSpan.FromSeconds(5);

    /// <summary>At most this many of a licence's applications are asked about (the original and the latest requests).</summary>
    private const int MaxApplicationsAsked = 4;

    /// <summary>The holder or an officer of the licence's county may read it (its non-public fields and files).</summary>
    public async Task RequireReaderAsync(LicenceReader reader, CertificateRow row, CancellationToken cancellationToken)
    {
        reader.RequireSignedIn();
        if (reader.Identity.ActsIn(row.CountyCode))
        {
            return;
        }

        if (reader.Identity.IsInRole(PermitsRoles.Applicant) && await IsHolderAsync(reader, row, cancellationToken))
        {
            return;
        }

        throw new RpcException(new Status(StatusCode.PermissionDenied, "只有持证人本人或发证县的工作人员可以查看该许可证"));
    }

    /// <summary>
    /// Whether the caller applied for the licence: the original 新办 application, or an approved later application on
    /// it (a 变更 of the responsible person may come from another account).
    /// </summary>
    private async Task<bool> IsHolderAsync(LicenceReader reader, CertificateRow row, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configuration["Services:Intake:Url"]))
        {
            LogNoIntake(logger);
            return false;
        }

        List<Guid> applications = [row.ApplicationId];
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            applications.AddRange(await connection.QueryAsync<Guid>(CertificateRecords.RequestApplicationsSql, new { row.LicenceNumber }));
        }

        foreach (var applicationId in applications.Distinct().Take(MaxApplicationsAsked))
        {
            if (await OwnsAsync(reader, applicationId, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the signed-in applicant owns the application (Intake answers; see <see cref="IsHolderAsync"/>).</summary>
    public async Task<bool> OwnsApplicationAsync(LicenceReader reader, Guid applicationId, CancellationToken cancellationToken)
    {
        if (!reader.Identity.IsInRole(PermitsRoles.Applicant))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(configuration["Services:Intake:Url"]))
        {
            LogNoIntake(logger);
            return false;
        }

        return await OwnsAsync(reader, applicationId, cancellationToken);
    }

    private async Task<bool> OwnsAsync(LicenceReader reader, Guid applicationId, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (reader.Authorization is { Length: > 0 } authorization)
        {
            headers.Add("Authorization", authorization);
        }

        try
        {
            var client = clients.CreateClient<Applications.ApplicationsClient>(IntakeClient);
            var application = await client.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = applicationId.ToString() },
                headers, DateTime.UtcNow.Add(IntakeDeadline), cancellationToken);
            return application.OwnerView && Guid.TryParse(application.ApplicationId, out var id) && id == applicationId;
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied
                                             or StatusCode.Unauthenticated or StatusCode.InvalidArgument)
        {
            return false;
        }
        catch (RpcException error)
        {
            LogIntakeFailed(logger, error, error.StatusCode);
            throw new RpcException(new Status(StatusCode.Unavailable, "暂时无法确认持证人身份，请稍后再试"));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Services:Intake:Url is not configured: holders cannot be recognised, only officers can read licences")]
    private static partial void LogNoIntake(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Intake did not answer whether the caller holds a licence ({StatusCode})")]
    private static partial void LogIntakeFailed(ILogger logger, Exception exception, StatusCode statusCode);
}
