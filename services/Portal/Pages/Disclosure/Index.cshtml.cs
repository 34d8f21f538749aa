using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Disclosure;

/// <summary>
/// 信息公开: the public disclosure log newest first, searched by name, number (an application's or a licence's) and
/// date, a page at a time towards older or newer records by the log's stable positions.
/// </summary>
public sealed class IndexModel(DisclosureLog.DisclosureLogClient log, CountyDirectory counties) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "before")]
    public long Before { get; set; }

    [BindProperty(SupportsGet = true, Name = "after")]
    public long After { get; set; }

    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    /// <summary>An application number, or a licence number (12 digits).</summary>
    [BindProperty(SupportsGet = true, Name = "number")]
    public string? Number { get; set; }

    [BindProperty(SupportsGet = true, Name = "name")]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? FromDate { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? ToDate { get; set; }

    public IReadOnlyList<Option> Counties =>
        counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<Record> Records { get; private set; } = [];

    /// <summary>The cursor of the older page; null when this page is the oldest.</summary>
    public long? Older { get; private set; }

    /// <summary>The cursor of the newer page; null when this page is the newest.</summary>
    public long? Newer { get; private set; }

    public string? CountyError { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public bool Searched => !string.IsNullOrEmpty(Number) || !string.IsNullOrEmpty(Name) || !string.IsNullOrEmpty(FromDate) || !string.IsNullOrEmpty(ToDate);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        CountyCode = CountyCode?.Trim();
        Number = Number?.Trim();
        Name = Name?.Trim();
        if (!string.IsNullOrEmpty(CountyCode) && !counties.TryGet(CountyCode, out _))
        {
            CountyError = "本系统不服务该县（市、区），已显示全部地区。";
            CountyCode = null;
        }

        var licence = Number is { Length: 12 } n && n.All(char.IsAsciiDigit);
        try
        {
            var reply = await log.ListRecordsAsync(
                new ListRecordsRequest
                {
                    NewestFirst = true,
                    BeforePosition = Math.Max(0, Before),
                    AfterPosition = Math.Max(0, After),
                    PageSize = PageSize,
                    CountyCode = CountyCode ?? "",
                    ApplicationNumber = licence ? "" : Number ?? "",
                    LicenceNumber = licence ? Number! : "",
                    Name = Name ?? "",
                    FromDate = FromDate?.Trim() ?? "",
                    ToDate = ToDate?.Trim() ?? "",
                },
                cancellationToken: cancellationToken);
            Records = reply.Records;
            Older = reply.OlderBeforePosition > 0 ? reply.OlderBeforePosition : null;
            Newer = reply.NewerAfterPosition > 0 ? reply.NewerAfterPosition : null;
        }
        catch (RpcException error) when (error.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    public string CountyName(string code) => counties.TryGet(code, out var county) ? county.Name : code;

    /// <summary>The search as route values, for the pager's links.</summary>
    public Dictionary<string, string?> Route(string cursor, long position) => new()
    {
        ["county"] = CountyCode,
        ["number"] = Number,
        ["name"] = Name,
        ["from"] = FromDate,
        ["to"] = ToDate,
        [cursor] = position.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
