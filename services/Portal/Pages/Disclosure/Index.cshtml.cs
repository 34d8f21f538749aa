using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Disclosure;

/// <summary>信息公开: the public disclosure log, a page at a time by its stable position cursor.</summary>
public sealed class IndexModel(DisclosureLog.DisclosureLogClient log, CountyDirectory counties) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "after")]
    public long After { get; set; }

    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "number")]
    public string? ApplicationNumber { get; set; }

    public IReadOnlyList<Option> Counties =>
        counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<Record> Records { get; private set; } = [];

    /// <summary>The cursor for the next page; null when this page was the last so far.</summary>
    public long? Next { get; private set; }

    public string? CountyError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        After = Math.Max(0, After);
        CountyCode = CountyCode?.Trim();
        ApplicationNumber = ApplicationNumber?.Trim();
        if (!string.IsNullOrEmpty(CountyCode) && !counties.TryGet(CountyCode, out _))
        {
            CountyError = "本系统不服务该县（市、区），已显示全部地区。";
            CountyCode = null;
        }

        var reply = await log.ListRecordsAsync(
            new ListRecordsRequest
            {
                AfterPosition = After,
                PageSize = PageSize,
                CountyCode = CountyCode ?? "",
                ApplicationNumber = ApplicationNumber ?? "",
            },
            cancellationToken: cancellationToken);
        Records = reply.Records;
        Next = Records.Count >= PageSize && reply.NextPosition > After ? reply.NextPosition : null;
    }

    public string CountyName(string code) => counties.TryGet(code, out var county) ? county.Name : code;
}
