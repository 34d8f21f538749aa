using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Admin;

/// <summary>
/// 节假日安排: a 系统管理员 (system-admin, folder policy) of any county enters a year's arrangement as the State
/// Council's notice gives it and publishes it through Review, which owns the national calendar; every service then
/// recounts its open deadlines that depend on the year. <c>?edit=2027</c> fills the form with the year as held, the
/// start of a correction. Days are typed one a line or as a block (2027-02-06~2027-02-14).
/// </summary>
public sealed class CalendarModel(Cases.CasesClient cases, TimeProvider time, ILogger<CalendarModel> logger) : PageModel
{
    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public IReadOnlyList<HolidayCalendarYear> Years { get; private set; } = [];

    public IReadOnlyList<int> ProvisionalYears { get; private set; } = [];

    public HolidayCalendarYear? Result { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Error { get; private set; }

    [BindProperty]
    public CalendarForm Form { get; set; } = new();

    public async Task OnGetAsync(int? edit, CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        await LoadAsync(cancellationToken);
        var held = Years.FirstOrDefault(y => y.Year == edit);
        Form = held is null
            ? new CalendarForm { Year = ProvisionalYears.Count > 0 ? ProvisionalYears[^1] : time.Today().Year + 1 }
            : new CalendarForm
            {
                Year = held.Year,
                Notice = held.Revision == 0 ? "" : held.Notice,
                Holidays = string.Join("\n", Blocks(held.Holidays, "~")),
                Workdays = string.Join("\n", held.Workdays),
            };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        var request = new PublishHolidayCalendarRequest { Year = Form.Year ?? 0, Notice = Form.Notice ?? "" };
        request.Holidays.AddRange(Lines(Form.Holidays));
        request.Workdays.AddRange(Lines(Form.Workdays));
        try
        {
            Result = await cases.PublishHolidayCalendarAsync(request, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Field name → the element the error summary links to.</summary>
    public static string Anchor(string field) => field switch
    {
        "year" => "#year",
        "notice" => "#notice",
        "workdays" => "#workdays",
        _ => "#holidays",
    };

    /// <summary>Consecutive days as blocks: 2027-02-06~2027-02-14 (or, for the table, 02-06～02-14).</summary>
    public static IEnumerable<string> Blocks(IEnumerable<string> days, string dash = "～", bool monthDay = false)
    {
        var sorted = days.Select(d => ChinaTime.TryParseDate(d, out var day) ? day : (DateOnly?)null).OfType<DateOnly>().Order().ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j].AddDays(1))
            {
                j++;
            }

            string Text(DateOnly d) => monthDay ? d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture) : ChinaTime.Text(d);
            yield return i == j ? Text(sorted[i]) : $"{Text(sorted[i])}{dash}{Text(sorted[j])}";
            i = j + 1;
        }
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await cases.ListHolidayCalendarsAsync(new ListHolidayCalendarsRequest(), await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            Years = list.Years;
            ProvisionalYears = list.ProvisionalYears;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error ??= OfficerErrors.Explain(ex, logger);
        }
    }
}

/// <summary>What the administrator types: days one a line or as blocks.</summary>
public sealed class CalendarForm
{
    public int? Year { get; set; }

    public string? Notice { get; set; }

    public string? Holidays { get; set; }

    public string? Workdays { get; set; }
}
