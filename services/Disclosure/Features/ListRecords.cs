using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>
/// Records after a position: a stable cursor, so a reader never misses or re-reads a record. Positions commit in
/// order (see the consumer), so everything at or below a returned position is final.
/// </summary>
public sealed class ListRecords(ServiceDatabase<DisclosureModule> database)
{
    public const int MaxPageSize = 1000;

    private const string Filter = $"""
        position > @After
          AND {Filters.ScopeFilter}
          AND (@ApplicationNumber = '' OR application_number = @ApplicationNumber)
          AND {Filters.KindsFilter}
        """;

    private const string PageSqlLimit = $"SELECT {LogRow.Columns} FROM disclosure_records WHERE {Filter} ORDER BY position LIMIT @PageSize";

    private const string PageSqlSqlServer = $"SELECT TOP (@PageSize) {LogRow.Columns} FROM disclosure_records WHERE {Filter} ORDER BY position";

    /// <param name="province">The caller's province (two digits) when it may read only that; null for everything.</param>
    public async Task<ListRecordsResponse> HandleAsync(
        ListRecordsRequest request, string? province, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.AfterPosition < 0)
        {
            errors.Add("after_position", "位置不能为负数");
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            errors.Add("page_size", $"每页条数须在 1–{MaxPageSize} 之间");
        }

        var kinds = Filters.Kinds(request.Kinds);
        Filters.CheckKinds(kinds, "kinds", errors);
        errors.ThrowIfAny();

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await Filters.ReadAsync(connection, Filters.ForDialect(database.Dialect, PageSqlLimit, PageSqlSqlServer), new
        {
            After = request.AfterPosition,
            ApplicationNumber = request.ApplicationNumber.Trim(),
            PageSize = request.PageSize == 0 ? 100 : request.PageSize,
        }, request.CountyCode, province, kinds, cancellationToken);

        var response = new ListRecordsResponse
        {
            NextPosition = rows.Count == 0 ? request.AfterPosition : rows[^1].Position,
        };
        response.Records.AddRange(rows.Select(r => r.ToMessage()));
        return response;
    }
}
