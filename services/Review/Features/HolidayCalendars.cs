using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Calendar;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// 节假日安排 as data: Review owns the national holiday calendar. Any 系统管理员 may publish a year — the State
/// Council's notice is the same for every county, so no county owns it; the step is audited under the administrator's
/// own county. The entry is checked (<see cref="HolidayYear.Validate"/>); one identical to the year as held changes
/// nothing; otherwise it is stored as the year's next revision (every revision kept: a correction is on record) and
/// announced (<see cref="HolidayCalendarPublished"/>) through the outbox, so every service — Review included, in its
/// consumer — takes it and recounts its open deadlines.
/// </summary>
public sealed class HolidayCalendars(
    StepRunner<ReviewModule> steps, ServiceDatabase<ReviewModule> database, WorkingDayCalendar calendar, TimeProvider time)
{
    private const string LatestSql = """
        SELECT year AS Year, revision AS Revision, holidays AS Holidays, workdays AS Workdays, notice AS Notice,
               published_at AS PublishedAt, published_by AS PublishedBy, published_by_name AS PublishedByName
        FROM review_holiday_calendars WHERE year = @Year AND revision = (SELECT MAX(revision) FROM review_holiday_calendars WHERE year = @Year)
        """;

    private const string AllSql = """
        SELECT year AS Year, revision AS Revision, holidays AS Holidays, workdays AS Workdays, notice AS Notice,
               published_at AS PublishedAt, published_by AS PublishedBy, published_by_name AS PublishedByName
        FROM review_holiday_calendars ORDER BY year DESC, revision DESC
        """;

    private const string InsertSql = """
        INSERT INTO review_holiday_calendars (year, revision, holidays, workdays, notice, published_at, published_by, published_by_name)
        VALUES (@Year, @Revision, @Holidays, @Workdays, @Notice, @PublishedAt, @PublishedBy, @PublishedByName)
        """;

    /// <summary>Not a step anyone takes: how the system records, on a case, a deadline it recounted.</summary>
    public static readonly OfficerStep Recount = new("RecountDeadline", "按节假日安排重算期限", []);

    /// <summary>Who the recount is recorded in the name of.</summary>
    public const string RecountActor = "节假日安排";

    private static readonly Lazy<WorkingDayCalendar> Embedded = new(WorkingDayCalendar.LoadEmbedded);

    public async Task<HolidayCalendarYear> PublishAsync(PublishHolidayCalendarRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var entry = new HolidayYear(
            request.Year,
            HolidayYear.ParseDays(request.Holidays, "holidays", errors),
            HolidayYear.ParseDays(request.Workdays, "workdays", errors),
            request.Notice.Trim()).Normalized();
        entry.Validate(errors);
        var target = Target(officer);
        await steps.ThrowIfInvalidAsync(officer, ReviewSteps.PublishHolidayCalendar, target, errors, cancellationToken);
        return await steps.RunAsync(officer, ReviewSteps.PublishHolidayCalendar, target, async (session, _) =>
        {
            var latest = await session.QuerySingleOrDefaultAsync<Row>(LatestSql, new { entry.Year });
            var held = latest?.Entry() ?? BaseYear(entry.Year);
            if (held is not null && held.SameAs(entry))
            {
                var same = latest?.Answer() ?? Answer(held, 0, null, "");
                same.Changed = false;
                same.Message = $"{entry.Year}年节假日安排与已有的相同，未作更改";
                return new StepResult<HolidayCalendarYear>(same, same.Message);
            }

            var now = time.GetUtcNow();
            var revision = (latest?.Revision ?? 0) + 1;
            var correction = held is not null;
            await session.ExecuteAsync(InsertSql, new
            {
                entry.Year,
                Revision = revision,
                Holidays = PublishedCalendars.Join(entry.Holidays),
                Workdays = PublishedCalendars.Join(entry.Workdays),
                entry.Notice,
                PublishedAt = now,
                PublishedBy = officer.Id,
                PublishedByName = officer.Name,
            });
            await session.PublishAsync(new HolidayCalendarPublished(
                entry.Year, entry.Holidays, entry.Workdays, entry.Notice, revision, now, officer.Id));
            var answer = Answer(entry, revision, now, officer.Label);
            answer.Changed = true;
            answer.Message = correction
                ? $"已更正{entry.Year}年节假日安排（{entry.Notice}，第 {revision} 版），各服务将按更正后的安排重算未届满的期限"
                : $"已发布{entry.Year}年节假日安排（{entry.Notice}），各服务将按此重算暂定的期限";
            return new StepResult<HolidayCalendarYear>(answer,
                $"{answer.Message}；放假 {entry.Holidays.Count} 天，调休上班 {entry.Workdays.Count} 天");
        }, cancellationToken);
    }

    /// <summary>Every revision published, then the embedded years not published over, and the provisional years.</summary>
    public async Task<HolidayCalendarList> ListAsync(Officer officer, CancellationToken cancellationToken)
    {
        var verdict = OfficerGuard.Decide(officer, ReviewSteps.ViewHolidayCalendars, officer.CountyCode, "节假日安排");
        if (!verdict.Allowed)
        {
            await steps.Audit.RefusedAsync(officer, ReviewSteps.ViewHolidayCalendars, "holiday-calendar", officer.CountyCode, verdict.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(AllSql)).ToList();
        var list = new HolidayCalendarList();
        list.Years.AddRange(rows.Select(r => r.Answer()));
        var published = rows.Select(r => r.Year).ToHashSet();
        foreach (var year in Embedded.Value.PublishedYears.Where(y => !published.Contains(y)).OrderDescending())
        {
            list.Years.Add(Answer(BaseYear(year)!, 0, null, ""));
        }

        var thisYear = time.Today().Year;
        list.ProvisionalYears.AddRange(new[] { thisYear, thisYear + 1 }.Where(y => !calendar.IsPublished(y) && !published.Contains(y)));
        return list;
    }

    /// <summary>The administrator's own county: the audit needs one, and any county's administrator may act.</summary>
    private static StepTarget<string> Target(Officer officer) => new(
        "holiday-calendar", "节假日安排", "未知的县（市、区）",
        _ => Task.FromResult<string?>(officer.CountyCode), county => county, _ => Task.FromResult<string?>(officer.CountyCode));

    /// <summary>A year as the release embeds it (2025, 2026), or null.</summary>
    private static HolidayYear? BaseYear(int year) => Embedded.Value.Arrangement(year);

    private static HolidayCalendarYear Answer(HolidayYear year, int revision, DateTimeOffset? at, string by)
    {
        var answer = new HolidayCalendarYear { Year = year.Year, Notice = year.Notice, Revision = revision, PublishedBy = by };
        answer.Holidays.AddRange(year.Holidays.Select(d => ChinaTime.Text(d)));
        answer.Workdays.AddRange(year.Workdays.Select(d => ChinaTime.Text(d)));
        if (at is { } published)
        {
            answer.PublishedAt = Timestamp.FromDateTimeOffset(published);
        }

        return answer;
    }

    private sealed class Row
    {
        public int Year { get; init; }
        public int Revision { get; init; }
        public string Holidays { get; init; } = "";
        public string Workdays { get; init; } = "";
        public string Notice { get; init; } = "";
        public DateTimeOffset PublishedAt { get; init; }
        public string PublishedBy { get; init; } = "";
        public string PublishedByName { get; init; } = "";

        public HolidayYear Entry() => new(Year, PublishedCalendars.Split(Holidays), PublishedCalendars.Split(Workdays), Notice);

        public HolidayCalendarYear Answer() =>
            HolidayCalendars.Answer(Entry(), Revision, PublishedAt, PublishedByName.Length > 0 ? $"{PublishedByName}（{PublishedBy}）" : PublishedBy);
    }
}
