using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Verify;

/// <summary>
/// 许可证核验: the licence's QR code opens this page with its token; anyone may also paste the QR code's content (the
/// URL or the bare token) or enter a licence number; a plain GET form, no script.
/// </summary>
public sealed class IndexModel(Certificates.CertificatesClient certificates) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "token")]
    public string? Token { get; set; }

    /// <summary>The token as the licence's QR code carries it (/verify?t=…): a phone camera opens this page with it.</summary>
    [BindProperty(SupportsGet = true, Name = "t")]
    public string? ScannedToken { get; set; }

    [BindProperty(SupportsGet = true, Name = "number")]
    public string? Number { get; set; }

    public VerifyResponse? Result { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Token) && !string.IsNullOrWhiteSpace(ScannedToken))
        {
            Token = ScannedToken;
        }
        else if (!Request.Query.ContainsKey("token") && !Request.Query.ContainsKey("number"))
        {
            return;
        }

        try
        {
            Result = await certificates.VerifyAsync(
                new VerifyRequest { Token = Token?.Trim() ?? "", LicenceNumber = Number?.Trim() ?? "" },
                cancellationToken: cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(error);
        }
    }

    public static string AuthenticityLabel(string authenticity) => authenticity switch
    {
        "GENUINE" => "真实：发证机关签名核验通过",
        "ON_RECORD" => "登记在册",
        "ALTERED" => "不真实：内容被改动过",
        "UNKNOWN_KEY" => "无法确认：不是本系统的发证密钥",
        "NOT_FOUND" => "查无此证",
        _ => "无法识别",
    };

    public static string StatusLabel(string status) => status switch
    {
        "VALID" => "有效",
        "SUSPENDED" => "停业（暂停使用）",
        "REVOKED" => "已失效（歇业或注销）",
        "EXPIRED" => "已过有效期",
        "SUPERSEDED" => "已被新版本或补办证取代",
        _ => "未知",
    };

    public bool IsGood => Result is { Authenticity: "GENUINE" or "ON_RECORD", Status: "VALID" };
}
