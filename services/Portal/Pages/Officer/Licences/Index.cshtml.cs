using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Web;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Portal.Pages.Officer.Licences;

/// <summary>许可证管理: an officer finds the licences of their own county (Certificate takes the county from the token).</summary>
public sealed class IndexModel(Certificates.CertificatesClient certificates, TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<Option> Statuses =
    [
        new("", "全部"),
        new("VALID", "有效"),
        new("SUSPENDED", "停业"),
        new("REVOKED", "已失效（歇业或注销）"),
    ];

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    public TimeProvider Time => time;

    public int Limit => PageSize;

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public string CountyCode => Officer.CountyCode;

    public IReadOnlyList<CertificateMessage> Licences { get; private set; } = [];

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            var found = await certificates.SearchLicencesAsync(
                new SearchLicencesRequest { Query = Query?.Trim() ?? "", Status = Status?.Trim() ?? "", Limit = PageSize },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            Licences = found.Licences;
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能查询：", StringComparison.Ordinal);
        }
    }
}
