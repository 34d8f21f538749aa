using Dapper;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;

namespace Permits.Disclosure.Requests;

/// <summary>
/// Sections 三 and 四 of the annual report, counted from the requests, for one county and one calendar year (days in
/// China time). A request counts by the category of its requester:
/// <list type="bullet">
/// <item>一 本年新收: filed in the year; 二 上年结转: filed before the year and not answered before it;</item>
/// <item>三 办理结果: answered in the year, by outcome; 四 结转下年度: filed by the year's end and not answered by it.</item>
/// </list>
/// So 一 + 二 = 三 + 四 per column by construction, and this year's 二 is last year's 四.
/// Section 四 (复议/诉讼) counts the cases brought in the year, by their result as at the year's end (尚未审结 when not
/// concluded by then).
/// </summary>
public sealed class RequestFigures(ServiceDatabase<DisclosureModule> database) : IRequestYearFigures
{
    private const string NewlyReceivedSql = """
        SELECT category AS Category, COUNT(*) AS N FROM disclosure_requests
        WHERE county_code = @County AND filed_on >= @From AND filed_on <= @To
        GROUP BY category
        """;

    private const string CarriedOverSql = """
        SELECT category AS Category, COUNT(*) AS N FROM disclosure_requests
        WHERE county_code = @County AND filed_on < @From AND (answered_on IS NULL OR answered_on >= @From)
        GROUP BY category
        """;

    private const string OutcomesSql = """
        SELECT outcome AS Outcome, category AS Category, COUNT(*) AS N FROM disclosure_requests
        WHERE county_code = @County AND answered_on >= @From AND answered_on <= @To
        GROUP BY outcome, category
        """;

    private const string CarriedForwardSql = """
        SELECT category AS Category, COUNT(*) AS N FROM disclosure_requests
        WHERE county_code = @County AND filed_on <= @To AND (answered_on IS NULL OR answered_on > @To)
        GROUP BY category
        """;

    private const string AppealsSql = """
        SELECT kind AS Kind, result AS Result, concluded_on AS ConcludedOn FROM disclosure_request_appeals
        WHERE county_code = @County AND filed_on >= @From AND filed_on <= @To
        """;

    public async Task<RequestYearFigures> ForYearAsync(string countyCode, int year, CancellationToken ct)
    {
        var range = Range(countyCode, year);
        await using var connection = await database.OpenAsync(ct);
        async Task<CategoryCounts> CountsAsync(string sql) => ToCounts(await connection.QueryAsync<CountRow>(sql, range.Parameters));

        var newlyReceived = await CountsAsync(NewlyReceivedSql);
        var carriedOver = await CountsAsync(CarriedOverSql);
        var carriedForward = await CountsAsync(CarriedForwardSql);
        var outcomes = (await connection.QueryAsync<CountRow>(OutcomesSql, range.Parameters))
            .GroupBy(r => Enum.Parse<RequestOutcome>(r.Outcome))
            .ToDictionary(g => g.Key, g => ToCounts(g));
        var all = Enum.GetValues<RequestOutcome>().ToDictionary(o => o, o => outcomes.TryGetValue(o, out var c) ? c : CategoryCounts.Zero);
        return new RequestYearFigures(newlyReceived, carriedOver, all, carriedForward);
    }

    public async Task<AppealFigures> AppealsForYearAsync(string countyCode, int year, CancellationToken ct)
    {
        var range = Range(countyCode, year);
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<AppealCountRow>(AppealsSql, range.Parameters)).ToList();

        AppealCounts Count(AppealKind kind)
        {
            var results = rows.Where(r => r.Kind == kind.ToString())
                .Select(r => r.ConcludedOn is { } d && d <= range.To ? Enum.Parse<AppealResult>(r.Result) : AppealResult.Pending)
                .ToList();
            return new AppealCounts(
                results.Count(r => r == AppealResult.Upheld),
                results.Count(r => r == AppealResult.Corrected),
                results.Count(r => r == AppealResult.Other),
                results.Count(r => r == AppealResult.Pending));
        }

        return new AppealFigures(Count(AppealKind.Reconsideration), Count(AppealKind.LitigationDirect), Count(AppealKind.LitigationAfterReconsideration));
    }

    /// <summary>The figures as the desk's gRPC answer: the template's rows in order, with 三's 总计 after the outcomes.</summary>
    public static InformationRequestFigures ToMessage(string countyCode, int year, RequestYearFigures figures, AppealFigures appeals)
    {
        var message = new InformationRequestFigures { CountyCode = countyCode, Year = year };
        message.Rows.Add(Row("NewlyReceived", "一、本年新收政府信息公开申请数量", figures.NewlyReceived));
        message.Rows.Add(Row("CarriedOverFromLastYear", "二、上年结转政府信息公开申请数量", figures.CarriedOverFromLastYear));
        foreach (var outcome in Enum.GetValues<RequestOutcome>())
        {
            message.Rows.Add(Row(outcome.ToString(), RequestTerms.Label(outcome), figures.Outcomes[outcome]));
        }

        var total = Enum.GetValues<ApplicantCategory>()
            .ToDictionary(c => c, c => figures.Outcomes.Values.Sum(counts => counts[c]));
        message.Rows.Add(Row("Total", "三、本年度办理结果（七）总计", new CategoryCounts(total)));
        message.Rows.Add(Row("CarriedForwardToNextYear", "四、结转下年度继续办理", figures.CarriedForwardToNextYear));
        message.Appeals.Add(AppealRow(AppealKind.Reconsideration, appeals.Reconsideration));
        message.Appeals.Add(AppealRow(AppealKind.LitigationDirect, appeals.LitigationDirect));
        message.Appeals.Add(AppealRow(AppealKind.LitigationAfterReconsideration, appeals.LitigationAfterReconsideration));
        return message;

        static InformationRequestFigureRow Row(string key, string label, CategoryCounts counts)
        {
            var row = new InformationRequestFigureRow { Key = key, Label = label, Total = counts.Total };
            foreach (var category in Enum.GetValues<ApplicantCategory>())
            {
                row.Counts[category.ToString()] = counts[category];
            }

            return row;
        }

        static InformationAppealFigureRow AppealRow(AppealKind kind, AppealCounts counts) => new()
        {
            Kind = kind.ToString(),
            Label = RequestTerms.Label(kind),
            Upheld = counts.Upheld,
            Corrected = counts.Corrected,
            Other = counts.Other,
            Pending = counts.Pending,
            Total = counts.Total,
        };
    }

    private static YearRange Range(string countyCode, int year)
    {
        if (year is < 2000 or > 9998)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "A report year is between 2000 and 9998.");
        }

        return new YearRange(countyCode, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
    }

    private static CategoryCounts ToCounts(IEnumerable<CountRow> rows) =>
        new(rows.GroupBy(r => Enum.Parse<ApplicantCategory>(r.Category)).ToDictionary(g => g.Key, g => (int)g.Sum(r => r.N)));

    private sealed record YearRange(string County, DateOnly From, DateOnly To)
    {
        public object Parameters => new { County, From, To };
    }

    private sealed class CountRow
    {
        public string Outcome { get; init; } = "";
        public string Category { get; init; } = "";
        public long N { get; init; }
    }

    private sealed class AppealCountRow
    {
        public string Kind { get; init; } = "";
        public string Result { get; init; } = "";
        public DateOnly? ConcludedOn { get; init; }
    }
}
