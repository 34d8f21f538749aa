using Grpc.Core;
using Grpc.Net.ClientFactory;
using Permits.Contracts.Identity.V1;
using Permits.Shared.Security;
using Officer = Permits.Shared.Steps.Officer;
using IdentityOfficer = Permits.Contracts.Identity.V1.Officer;

namespace Permits.Review.Features;

/// <summary>
/// 实地核查 needs two inspectors: the second one named must be an inspector (核查 role) of the caller's county — which
/// the case's county is, or the step is refused anyway — and not the caller. Identity owns officer accounts, so Review
/// asks its GetOfficer with the calling officer's own token (forwarded; Identity answers only about the caller's own
/// county), through the shared resilience pipeline (<c>Services:Identity:Url</c>). No copy of the officer list here.
/// Identity not configured or unreachable: UNAVAILABLE, and nothing is recorded. <see cref="AssignCase"/> asks the same
/// way who a colleague taking a case over is.
/// </summary>
public sealed partial class SecondInspectors(GrpcClientFactory clients, IConfiguration configuration, ILogger<SecondInspectors> logger)
{
    public const string ClientName = "review-identity";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private const string Unavailable = "暂时无法核对工作人员的身份，未作任何改动，请稍后再试";

    /// <summary>
    /// The second inspector's officer id (as Identity spells it: the subject of their tokens, whether the officer typed
    /// that or the username) and name when <paramref name="secondInspectorId"/> names another inspector of the caller's
    /// county; otherwise what is wrong, for the field.
    /// </summary>
    public async Task<(string? OfficerId, string? Name, string? Problem)> CheckAsync(
        string secondInspectorId, Officer officer, string? authorization, CancellationToken cancellationToken)
    {
        var second = await FindAsync(secondInspectorId, authorization, cancellationToken);
        if (second is null || second.CountyCode != officer.CountyCode)
        {
            return (null, null, NotOfThisCounty(secondInspectorId));
        }

        if (second.OfficerId == officer.Id)
        {
            return (null, null, "两名核查人员不能是同一人");
        }

        return second.Roles.Contains(PermitsRoles.Inspector)
            ? (second.OfficerId, second.DisplayName, null)
            : (null, null, $"{second.DisplayName}（{second.OfficerId}）不是核查人员：实地核查须由两名核查岗位人员进行");
    }

    /// <summary>
    /// Who <paramref name="officerId"/> is, asked of Identity with the caller's own token (Identity answers only about
    /// the caller's county); null when Identity knows no such officer. UNAVAILABLE when Identity cannot be asked.
    /// </summary>
    public async Task<IdentityOfficer?> FindAsync(string officerId, string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configuration["Services:Identity:Url"]))
        {
            LogNotConfigured(logger);
            throw new RpcException(new Status(StatusCode.Unavailable, Unavailable));
        }

        try
        {
            var identity = clients.CreateClient<Officers.OfficersClient>(ClientName);
            return await identity.GetOfficerAsync(
                new GetOfficerRequest { OfficerId = officerId },
                new Metadata { { "Authorization", authorization ?? "" } },
                DateTime.UtcNow.Add(Deadline),
                cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null;
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException or HttpRequestException
                                      && !cancellationToken.IsCancellationRequested)
        {
            LogIdentityFailed(logger, error, officerId);
            throw new RpcException(new Status(StatusCode.Unavailable, Unavailable));
        }
    }

    private static string NotOfThisCounty(string id) => $"{id} 不是本县（市、区）的工作人员：请填写本县另一名核查人员的工号";

    [LoggerMessage(LogLevel.Error, "Services:Identity:Url is not configured: the second inspector cannot be checked and site inspections are refused")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Identity did not answer who officer {OfficerId} is: the site inspection is refused as UNAVAILABLE")]
    private static partial void LogIdentityFailed(ILogger logger, Exception exception, string officerId);
}
