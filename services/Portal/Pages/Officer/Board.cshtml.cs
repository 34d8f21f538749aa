using Grpc.Core;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// 期限看板, the head's view of the county (the page requires the head): every open case by working days left, the
/// deadlines breached this month, the cases waiting on the applicant (clock paused) and the 差评 waiting for
/// follow-up, from Review's GetBoard; the same figures as a bar chart drawn on the server (no script), each bar with
/// its words and number so it reads without colour.
/// </summary>
public sealed class BoardModel(Cases.CasesClient cases, CountyDirectory counties, ILogger<BoardModel> logger) : PageModel
{
    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public string CountyName => counties.TryGet(Officer.CountyCode, out var county) ? county.Name : Officer.CountyCode;

    public DeadlineBoard Board { get; private set; } = new();

    public string? Error { get; private set; }

    /// <summary>The chart's bars: the days-left buckets, then this month's breaches and the ratings waiting.</summary>
    public IReadOnlyList<Bar> Bars { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            Board = await cases.GetBoardAsync(new GetBoardRequest(), await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能显示看板：", StringComparison.Ordinal);
            return;
        }

        Bars =
        [
            .. Board.Buckets.Select(b => new Bar(BucketWords(b), b.Count, b.Key is "overdue" or "0-3" ? "bar-alert" : b.Key == "paused" ? "bar-paused" : "bar-plain")),
            new Bar("本月超期", Board.BreachesThisMonth.Count, "bar-alert"),
            new Bar("待回访差评", Board.PoorRatingsWaiting.Count, "bar-note"),
        ];
    }

    public int Count(string bucket) => Board.Buckets.FirstOrDefault(b => b.Key == bucket)?.Count ?? 0;

    /// <summary>受理期限 and so on, for a breached deadline's kind.</summary>
    public static string DeadlineWords(string kind) => kind switch
    {
        "Acceptance" => "受理期限（5 个工作日）",
        "Decision" => "审批期限",
        "Service" => "送达期限（10 个工作日）",
        _ => "法定期限",
    };

    private static string BucketWords(BoardBucket bucket) => bucket.Label is { Length: > 0 } label && !bucket.Label.Any(char.IsAsciiLetter)
        ? label
        : bucket.Key switch
        {
            "overdue" => "已超期",
            "0-3" => "剩 0–3 个工作日",
            "4-10" => "剩 4–10 个工作日",
            "11+" => "剩 11 个工作日以上",
            "paused" => "计时暂停（待补正）",
            _ => "其他",
        };

    /// <summary>One bar: its words, its number, and its style (the words and number carry the meaning, not the colour).</summary>
    public sealed record Bar(string Label, int Count, string Style);
}
