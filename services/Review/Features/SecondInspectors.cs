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
/// Identity not configured or unreachable: UNAVAILABLE, and nothing is recorded.
/// </summary>
public sealed partial class SecondInspectors(GrpcClientFactory clients, IConfiguration configuration, ILogger<SecondInspectors> logger)
{
    public const string ClientName = "review-identity";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private const string Unavailable = "暂时无法核对第二名核查人员的身份，核查记录未保存，请稍后再试";

    /// <summary>
    /// The second inspector's officer id (as Identity spells it: the subject of their tokens, whether the officer typed
    /// that or the username) when <paramref name="secondInspectorId"/> names another inspector of the caller's county;
    /// otherwise what is wrong, for the field.
    /// </summary>
    public async Task<(string? OfficerId, string? Problem)> CheckAsync(
        string secondInspectorId, Officer officer, string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configuration["Services:Identity:Url"]))
        {
            LogNotConfigured(logger);
            throw new RpcException(new Status(StatusCode.Unavailable, Unavailable));
        }

        IdentityOfficer second;
        try
        {
            var identity = clients.CreateClient<Officers.OfficersClient>(ClientName);
            second = await identity.GetOfficerAsync(
                new GetOfficerRequest { OfficerId = secondInspectorId },
                new Metadata { { "Authorization", authorization ?? "" } },
                DateTime.UtcNow.Add(Deadline),
                cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return (null, NotOfThisCounty(secondInspectorId));
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException or HttpRequestException
                                      && !cancellationToken.IsCancellationRequested)
        {
            LogIdentityFailed(logger, error, secondInspectorId);
            throw new RpcException(new Status(StatusCode.Unavailable, Unavailable));
        }

        if (second.OfficerId == officer.Id)
        {
            return (null, "两名核查人员不能是同一人");
        }

        if (second.CountyCode != officer.CountyCode)
        {
            return (null, NotOfThisCounty(secondInspectorId));
        }

        return second.Roles.Contains(PermitsRoles.Inspector)
            ? (second.OfficerId, null)
            : (null, $"{second.DisplayName}（{second.OfficerId}）不是核查人员：实地核查须由两名核查岗位人员进行");
    }

    private static string NotOfThisCounty(string id) => $"{id} 不是本县（市、区）的工作人员：请填写本县另一名核查人员的工号";

    [LoggerMessage(LogLevel.Error, "Services:Identity:Url is not configured: the second inspector cannot be checked and site inspections are refused")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Identity did not answer who officer {OfficerId} is: the site inspection is refused as UNAVAILABLE")]
    private static partial void LogIdentityFailed(ILogger logger, Exception exception, string officerId);
}
