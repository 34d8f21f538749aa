using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Notifications.V1;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer.ExpiryNotice;

/// <summary>
/// 许可证到期提醒: the monthly notice Notifications writes for the county's 受理 clerk of the licences expiring next
/// month (GetClerkNotice; the county comes from the token), so the clerk can remind the holders to renew in time. The
/// month the notice was written in is chosen with <c>?month=2026-05</c>, the current month (China time) by default.
/// </summary>
public sealed class IndexModel(IServiceProvider services, TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "month")]
    public string? Month { get; set; }

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    /// <summary>The month shown, 2026-05.</summary>
    public string Shown { get; private set; } = "";

    public ClerkNotice? Notice { get; private set; }

    /// <summary>The notice's opening sentence; the licences follow one per line.</summary>
    public string Opening => Notice?.Text.Split('\n')[0] ?? "";

    public IReadOnlyList<string> Licences => Notice?.Text.Split('\n').Skip(1).Where(l => l.Length > 0).ToList() ?? [];

    /// <summary>Why there is nothing to show, or what went wrong.</summary>
    public string? Error { get; private set; }

    public string? Empty { get; private set; }

    public string PreviousMonth => Neighbour(-1);

    public string NextMonth => Neighbour(1);

    public bool IsCurrentMonth => Shown == CurrentMonth;

    private string CurrentMonth => ChinaTime.Text(time.Today())[..7];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        Shown = string.IsNullOrWhiteSpace(Month) ? CurrentMonth : Month.Trim();
        if (!ChinaTime.TryParseDate(Shown + "-01", out _))
        {
            Error = "月份格式应为 2026-05。";
            Shown = CurrentMonth;
            return;
        }

        if (services.GetService<Messages.MessagesClient>() is not { } messages)
        {
            Error = "短信通知服务未接入本门户，暂时无法查看到期提醒。";
            return;
        }

        try
        {
            Notice = await messages.GetClerkNoticeAsync(
                new GetClerkNoticeRequest { Month = Shown }, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            Empty = $"{Shown} 没有到期提醒：下月没有到期的许可证，或本月的提醒尚未生成（每月初生成）。";
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能查询：", StringComparison.Ordinal);
        }
    }

    private string Neighbour(int months) =>
        ChinaTime.TryParseDate(Shown + "-01", out var first) ? ChinaTime.Text(first.AddMonths(months))[..7] : Shown;
}
