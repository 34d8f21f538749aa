using Grpc.Core;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Security;
using Permits.Portal.Web;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;
using Permits.Shared.Domain;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Portal.Pages.Licences;

/// <summary>What a licence panel shows: the licence, or a sentence instead (null when there is nothing to show).</summary>
public sealed record LicencePanel(CertificateMessage? Licence, string? Note, bool ForOfficer);

/// <summary>Words for licence states and lifecycle steps, shared by the licence pages and panels.</summary>
public static class LicenceLabels
{
    /// <summary>The status now: the stored one, or 已过有效期 when a valid licence's end date (China time) has passed.</summary>
    public static string Status(CertificateMessage licence, TimeProvider time)
    {
        var today = time.Today();
        return licence.Status switch
        {
            "Suspended" => "停业（暂停使用）",
            "Revoked" => "已失效（歇业或注销）",
            _ when ChinaTime.TryParseDate(licence.ValidTo, out var end)
                   && end < today => "已过有效期",
            _ => "有效",
        };
    }

    public static bool IsGood(CertificateMessage licence, TimeProvider time) => Status(licence, time) == "有效";

    public static string Version(int version, int duplicate) =>
        $"第 {version} 版" + (duplicate > 0 ? $"（补办 第 {duplicate} 次）" : "");

    public static string Step(string kind) => kind switch
    {
        "Issued" => "核发",
        "Changed" => RequestTypes.Label(RequestTypes.Change) + "（新版本）",
        "Renewed" => RequestTypes.Label(RequestTypes.Renewal) + "（新版本）",
        "Suspended" => RequestTypes.Label(RequestTypes.Suspend),
        "Resumed" => RequestTypes.Label(RequestTypes.Resume),
        "Closed" => RequestTypes.Label(RequestTypes.Close),
        "Cancelled" => RequestTypes.Label(RequestTypes.Cancel),
        "Reissued" => RequestTypes.Label(RequestTypes.Reissue),
        "Recorded" => "启用记录时的状态",
        _ => kind,
    };

    /// <summary>How the applicant of a request on a licence was matched to its holder at submission (Review's holder_match).</summary>
    public static string HolderMatch(string match) => match switch
    {
        "CreditCode" => "申请人即持证人：统一社会信用代码与持证人相符（提交时已核验）",
        "IdNumber" => "申请人即持证人：负责人居民身份证号码与持证人相符（提交时已核验）",
        _ => "未核验：该申请提交于持证人核验启用之前，请当面核对申请人是否为持证人",
    };

    public static bool HolderMatched(string match) => match is "CreditCode" or "IdNumber";

    public static string StoredStatus(string status) => status switch
    {
        "Suspended" => "停业",
        "Revoked" => "已失效",
        _ => "有效",
    };

    public static string DownloadUrl(string licenceNumber, string format) =>
        $"/licences/{Uri.EscapeDataString(licenceNumber)}/{format}";

    /// <summary>The licence for an application, as the signed-in person may see it; a note instead when they may not.</summary>
    public static async Task<LicencePanel?> LoadAsync(
        Certificates.CertificatesClient certificates, HttpContext context, string applicationId, bool forOfficer, ILogger logger)
    {
        try
        {
            var licence = await certificates.GetCertificateAsync(
                new GetCertificateRequest { ApplicationId = applicationId }, await PortalCaller.HeadersAsync(context),
                cancellationToken: context.RequestAborted);
            return new LicencePanel(licence, null, forOfficer);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null;
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.Unauthenticated)
        {
            return new LicencePanel(null, "登录后可查看和下载电子许可证。", forOfficer);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.PermissionDenied)
        {
            return new LicencePanel(null, error.Status.Detail, forOfficer);
        }
        catch (RpcException error)
        {
            LicenceLog.PanelFailed(logger, error, error.StatusCode);
            return new LicencePanel(null, "电子许可证信息暂时无法读取，请稍后刷新。", forOfficer);
        }
    }
}

internal static partial class LicenceLog
{
    [LoggerMessage(LogLevel.Warning, "The licence panel could not read the licence ({StatusCode})")]
    public static partial void PanelFailed(ILogger logger, Exception exception, StatusCode statusCode);
}
