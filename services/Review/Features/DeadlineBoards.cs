using Dapper;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// The approving head's deadline board for a county: every open case by working days left (overdue, 0–3, 4–10, 11+,
/// paused), the deadlines breached this calendar month (China time, from <c>review_deadlines.breached_at</c>), the
/// cases waiting on the applicant, and the 差评 (Intake's ServiceRated, kept by <see cref="Consumers.ServiceRatedConsumer"/>)
/// still waiting for follow-up, with the follow-ups open, overdue and closed this month (<see cref="RatingFollowUps"/>). Breaches of the county's promised limits (承诺时限) are listed apart from the legal ones.
/// </summary>
public sealed class DeadlineBoards(
    ServiceDatabase<ReviewModule> database, CountyDirectory counties, CaseAction action, LegalClock clock, TimeProvider time)
{
    public const string Overdue = "overdue";
    public const string Paused = "paused";

    private const string OpenSql = $"""
        SELECT {CaseRow.Columns} FROM review_cases
        WHERE county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2)
        ORDER BY clock_paused, due_by, received_at, id
        """;

    private const string BreachesSql = """
        SELECT d.case_id AS CaseId, c.application_number AS ApplicationNumber, c.business_name AS BusinessName,
            d.kind AS Kind, d.due_by AS DueBy, d.breached_at AS BreachedAt
        FROM review_deadlines d JOIN review_cases c ON c.id = d.case_id
        WHERE d.county_code = @CountyCode AND d.breached_at >= @From AND d.breached_at < @To
        ORDER BY d.breached_at
        """;

    private const string RatingsSql = $"""
        SELECT {RatingFollowUps.Columns}
        FROM review_poor_ratings WHERE county_code = @CountyCode AND followed_up_at IS NULL
        ORDER BY rated_at
        """;

    private const string RatingsClosedSql = """
        SELECT COUNT(*) FROM review_poor_ratings
        WHERE county_code = @CountyCode AND followed_up_at >= @From AND followed_up_at < @To
        """;

    private static readonly (string Key, string Label, int Max)[] Buckets =
        [(Overdue, "已逾期", -1), ("0-3", "剩 0–3 个工作日", 3), ("4-10", "剩 4–10 个工作日", 10), ("11+", "剩 11 个工作日以上", int.MaxValue)];

    public async Task<DeadlineBoard> GetAsync(GetBoardRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var code = request.CountyCode.Trim();
        if (!counties.TryGet(code.Length == 0 ? officer.CountyCode : code, out var county))
        {
            new FieldErrors().Add("county_code", "未知的县级行政区划代码").ThrowIfAny();
        }

        await action.EnsureAllowedAsync(officer, ReviewSteps.ViewBoard, "", county.Code);
        var today = time.Today();
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var open = new { CountyCode = county.Code, Stage0 = CaseStage.Open[0], Stage1 = CaseStage.Open[1], Stage2 = CaseStage.Open[2] };
        var board = new DeadlineBoard { CountyCode = county.Code };
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = Buckets.Select(b => b.Key).Append(Paused).ToDictionary(k => k, _ => 0);
        foreach (var row in await connection.QueryAsync<CaseRow>(OpenSql, open))
        {
            var message = action.View.ToMessage(row, today);
            board.OpenCases.Add(message);
            if (message.ClockPaused)
            {
                counts[Paused]++;
                board.Paused.Add(message);
            }
            else if (message.HasWorkingDaysLeft)
            {
                counts[Buckets.First(b => message.WorkingDaysLeft <= b.Max).Key]++;
            }
        }

        board.Buckets.AddRange(Buckets.Select(b => new BoardBucket { Key = b.Key, Label = b.Label, Count = counts[b.Key] }));
        board.Buckets.Add(new BoardBucket { Key = Paused, Label = "暂停计时（待补正）", Count = counts[Paused] });
        var month = new { CountyCode = county.Code, From = ChinaTime.StartOf(monthStart), To = ChinaTime.StartOf(monthStart.AddMonths(1)) };
        foreach (var breach in await connection.QueryAsync<BreachRow>(BreachesSql, month))
        {
            // A broken promise (承诺时限) is the county's own, not the law's: listed apart.
            var list = breach.Kind == ClockPhase.PromisedDecision ? board.PromisedBreachesThisMonth : board.BreachesThisMonth;
            list.Add(new Breach
            {
                CaseId = breach.CaseId.ToString(),
                ApplicationNumber = breach.ApplicationNumber,
                BusinessName = breach.BusinessName,
                Kind = breach.Kind,
                DueBy = ChinaTime.Text(breach.DueBy),
                BreachedAt = Timestamp.FromDateTimeOffset(breach.BreachedAt),
            });
        }

        foreach (var rating in await connection.QueryAsync<RatingFollowUps.RatingRow>(RatingsSql, new { CountyCode = county.Code }))
        {
            board.PoorRatingsWaiting.Add(
                RatingFollowUps.ToMessage(rating, today, clock.WorkingDaysLeft(ChinaTime.DateOf(rating.RatedAt), today)));
        }

        board.RatingFollowUpsOpen = board.PoorRatingsWaiting.Count;
        board.RatingFollowUpsOverdue = board.PoorRatingsWaiting.Count(r => r.Overdue);
        board.RatingFollowUpsClosedThisMonth = await connection.ExecuteScalarAsync<int>(RatingsClosedSql, month);

        await CaseQueries.AddStepCountsAsync(connection, open, board.StepCounts);
        return board;
    }

    private sealed class BreachRow
    {
        public Guid CaseId { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string BusinessName { get; init; } = "";
        public string Kind { get; init; } = "";
        public DateOnly DueBy { get; init; }
        public DateTimeOffset BreachedAt { get; init; }
    }
}
