using Grpc.Core;
using Grpc.Net.ClientFactory;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Domain;

namespace Permits.Intake.Security;

/// <summary>
/// A request on a licence (补办, 注销, 变更, 延续, 停业, 恢复营业, 歇业) must come from its holder: the applicant's
/// 统一社会信用代码, or for an individual business without one the 负责人's 身份证号, must name the licence's holder.
/// Certificate owns licences and their holders, so Intake asks it (<see cref="CertificateLicenceHolders"/>).
/// </summary>
public interface ILicenceHolders
{
    /// <summary>
    /// How the applicant matched the holder (<c>CreditCode</c> or <c>IdNumber</c>); otherwise INVALID_ARGUMENT naming
    /// the field, or UNAVAILABLE when Certificate cannot answer (the request is then not accepted unchecked).
    /// </summary>
    Task<string> RequireHolderAsync(string licenceNumber, string? creditCode, string idNumber, string? authorization, CancellationToken cancellationToken);
}

/// <summary>
/// Asks Certificate's CheckHolder with the applicant's own token (forwarded), through the shared resilience pipeline
/// (<c>Services:Certificate:Url</c>). Certificate not configured, unreachable or failing: UNAVAILABLE, and nothing is
/// stored — an unchecked request could hand someone else's licence, its reissue or its cancellation to a stranger.
/// </summary>
public sealed partial class CertificateLicenceHolders(
    GrpcClientFactory clients, IConfiguration configuration, ILogger<CertificateLicenceHolders> logger) : ILicenceHolders
{
    public const string ClientName = "intake-certificate";

    /// <summary>A person is waiting for the submit button.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private const string Unavailable = "暂时无法核验持证人身份，申请未提交，请稍后再试";

    public async Task<string> RequireHolderAsync(
        string licenceNumber, string? creditCode, string idNumber, string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：许可证的变更、补办、注销等须由持证人登录后申请"));
        }

        if (string.IsNullOrWhiteSpace(configuration["Services:Certificate:Url"]))
        {
            LogNotConfigured(logger);
            throw new RpcException(new Status(StatusCode.Unavailable, Unavailable));
        }

        CheckHolderResponse answer;
        try
        {
            var certificates = clients.CreateClient<Certificates.CertificatesClient>(ClientName);
            answer = await certificates.CheckHolderAsync(
                new CheckHolderRequest { LicenceNumber = licenceNumber, CreditCode = creditCode ?? "", IdNumber = idNumber },
                new Metadata { { "Authorization", authorization } },
                DateTime.UtcNow.Add(Deadline),
                cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unauthenticated)
        {
            throw new RpcException(new Status(error.StatusCode, error.Status.Detail));
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException or HttpRequestException
                                      && !cancellationToken.IsCancellationRequested)
        {
            LogCertificateFailed(logger, error, licenceNumber);
            throw new RpcException(new Status(StatusCode.Unavailable, Unavailable));
        }

        var errors = new FieldErrors();
        if (!answer.Found)
        {
            errors.Add("licence_number", "未找到该许可证号，请对照许可证正本核对");
        }
        else if (answer.IdentifiedBy == "NONE")
        {
            errors.Add("licence_number", "该许可证的持证人无法在线核验，请持证人携带身份证件和许可证到发证机关窗口办理");
        }
        else if (!answer.Match && answer.IdentifiedBy == "CREDIT_CODE")
        {
            errors.Add("credit_code", "统一社会信用代码与该许可证的持证人不符：许可证的变更、补办、注销等只能由持证人本人申请");
        }
        else if (!answer.Match)
        {
            errors.Add("id_number", "负责人居民身份证号码与该许可证的持证人不符：许可证的变更、补办、注销等只能由持证人本人申请");
        }

        errors.ThrowIfAny();
        return answer.IdentifiedBy == "CREDIT_CODE" ? "CreditCode" : "IdNumber";
    }

    [LoggerMessage(LogLevel.Error, "Services:Certificate:Url is not configured: requests on a licence cannot be checked against its holder and are refused")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Certificate did not answer who holds licence {LicenceNumber}: the request is refused as UNAVAILABLE")]
    private static partial void LogCertificateFailed(ILogger logger, Exception exception, string licenceNumber);
}
