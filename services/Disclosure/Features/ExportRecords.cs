using System.Runtime.CompilerServices;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>
/// Bulk export of every record that occurred in a date range (China time), in position order. Read in batches by
/// position, so memory stays flat however large the range and no page cap applies.
/// </summary>
public sealed class ExportRecords(ServiceDatabase<DisclosureModule> database)
{
    private const int BatchSize = 1000;
    private const int MaxDays = 3700;

    private const string Filter = $"""
        position > @After
          AND occurred_at >= @From AND occurred_at < @To
          AND {Filters.ScopeFilter}
          AND {Filters.KindsFilter}
        """;

    private const string BatchSqlLimit = $"SELECT {LogRow.Columns} FROM disclosure_records WHERE {Filter} ORDER BY position LIMIT @BatchSize";

    private const string BatchSqlSqlServer = $"SELECT TOP (@BatchSize) {LogRow.Columns} FROM disclosure_records WHERE {Filter} ORDER BY position";

    /// <summary>Checks the request; throws INVALID_ARGUMENT before anything is streamed.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Validate(ExportRecordsRequest request)
    {
        var errors = new FieldErrors();
        var from = Parse(request.FromDate, "from_date", errors);
        var to = Parse(request.ToDate, "to_date", errors);
        Filters.CheckKinds(Filters.Kinds(request.Kinds), "kinds", errors);
        if (from is { } f && to is { } t && (t < f || t.DayNumber - f.DayNumber > MaxDays))
        {
            errors.Add("to_date", $"结束日期须不早于开始日期，且跨度不超过 {MaxDays} 天");
        }

        errors.ThrowIfAny();
        return (Start(from!.Value), Start(to!.Value.AddDays(1)));
    }

    public async IAsyncEnumerable<LogRow> ReadAsync(
        ExportRecordsRequest request, string? province, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (from, to) = Validate(request);
        var sql = Filters.ForDialect(database.Dialect, BatchSqlLimit, BatchSqlSqlServer);
        var kinds = Filters.Kinds(request.Kinds);
        long after = 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        while (true)
        {
            var batch = await Filters.ReadAsync(
                connection, sql, new { After = after, From = from, To = to, BatchSize }, request.CountyCode, province, kinds, cancellationToken);
            foreach (var row in batch)
            {
                yield return row;
            }

            if (batch.Count < BatchSize)
            {
                yield break;
            }

            after = batch[^1].Position;
        }
    }

    private static DateTimeOffset Start(DateOnly day) =>
        ChinaTime.StartOf(day);

    private static DateOnly? Parse(string text, string field, FieldErrors errors)
    {
        if (ChinaTime.TryParseDate(text, out var date))
        {
            return date;
        }

        errors.Add(field, "日期格式应为 yyyy-MM-dd（必填）");
        return null;
    }
}
