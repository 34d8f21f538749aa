using Dapper;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Reports;

/// <summary>
/// 政务服务“好差评” of a county's year, from <c>disclosure_service_ratings</c> (see
/// <see cref="Consumers.ServiceRatingConsumer{TMessage}"/>): ratings by rating date (China time) and level, and the
/// follow-up of their 差评 against the due day Review set. Follow-ups stand as at the year's last day once the year has
/// ended (the report of an ended year says the same whenever it is drawn up), else as at today.
/// </summary>
public sealed class ServiceRatingFigures(ServiceDatabase<DisclosureModule> database, TimeProvider time)
{
    private const string YearSql = """
        SELECT level AS Level, opened_at AS OpenedAt, due_by AS DueBy, followed_up_at AS FollowedUpAt
        FROM disclosure_service_ratings
        WHERE county_code = @CountyCode AND rated_at >= @From AND rated_at < @To
        """;

    public async Task<ServiceRatings> ForYearAsync(string countyCode, int year, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(YearSql, new
        {
            CountyCode = countyCode,
            From = ChinaTime.StartOf(new DateOnly(year, 1, 1)),
            To = ChinaTime.StartOf(new DateOnly(year + 1, 1, 1)),
        }, cancellationToken: cancellationToken));
        var today = time.Today();
        var yearEnd = new DateOnly(year, 12, 31);
        return Count(rows, today < yearEnd ? today : yearEnd);
    }

    /// <summary>The figures of these ratings as at <paramref name="asOf"/>. A rating whose level has not arrived yet is not counted.</summary>
    public static ServiceRatings Count(IEnumerable<Row> rows, DateOnly asOf)
    {
        var figures = new ServiceRatings { AsOf = ChinaTime.Text(asOf) };
        foreach (var row in rows.Where(r => r.Level is >= 1 and <= 5))
        {
            figures.Received++;
            switch (row.Level)
            {
                case 1: figures.VerySatisfied++; break;
                case 2: figures.Satisfied++; break;
                case 3: figures.BasicallySatisfied++; break;
                case 4: figures.Dissatisfied++; break;
                default: figures.VeryDissatisfied++; break;
            }

            if (row.OpenedAt is null)
            {
                continue;
            }

            figures.Poor++;
            // A county Review did not know has no due day: nothing of it is late.
            var due = row.DueBy ?? DateOnly.MaxValue;
            if (row.FollowedUpAt is { } at && ChinaTime.DateOf(at) <= asOf)
            {
                if (ChinaTime.DateOf(at) <= due)
                {
                    figures.FollowedUpOnTime++;
                }
                else
                {
                    figures.FollowedUpLate++;
                }
            }
            else
            {
                figures.Open++;
                if (due < asOf)
                {
                    figures.OpenOverdue++;
                }
            }
        }

        return figures;
    }

    public sealed class Row
    {
        public long? Level { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateOnly? DueBy { get; init; }
        public DateTimeOffset? FollowedUpAt { get; init; }
    }
}
