using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>
/// Records after a position: a stable cursor, so a reader never misses or re-reads a record. Positions commit in
/// order (see the consumer), so everything at or below a returned position is final. With newest_first, the page
/// people read: newest first, searched by name, number and date, paged towards older and newer records.
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

    /// <summary>The search of the newest-first page; the name matches the licensee (indexed, migration 030) or the summary.</summary>
    private const string Search = $"""
        {Filters.ScopeFilter}
          AND (@ApplicationNumber = '' OR application_number = @ApplicationNumber)
          AND (@LicenceNumber = '' OR licence_number = @LicenceNumber)
          AND {Filters.KindsFilter}
          AND (@NamePattern = '' OR subject_name LIKE @NamePattern ESCAPE '\' OR summary LIKE @NamePattern ESCAPE '\')
          AND (@HasFrom = 0 OR occurred_at >= @From)
          AND (@HasTo = 0 OR occurred_at < @To)
        """;

    private const string OlderSqlLimit = $"SELECT {LogRow.Columns} FROM disclosure_records WHERE (@Before = 0 OR position < @Before) AND {Search} ORDER BY position DESC LIMIT @Fetch";

    private const string OlderSqlSqlServer = $"SELECT TOP (@Fetch) {LogRow.Columns} FROM disclosure_records WHERE (@Before = 0 OR position < @Before) AND {Search} ORDER BY position DESC";

    private const string NewerSqlLimit = $"SELECT {LogRow.Columns} FROM disclosure_records WHERE position > @After AND {Search} ORDER BY position LIMIT @Fetch";

    private const string NewerSqlSqlServer = $"SELECT TOP (@Fetch) {LogRow.Columns} FROM disclosure_records WHERE position > @After AND {Search} ORDER BY position";

    /// <param name="province">The caller's province (two digits) when it may read only that; null for everything.</param>
    public async Task<ListRecordsResponse> HandleAsync(
        ListRecordsRequest request, string? province, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.AfterPosition < 0)
        {
            errors.Add("after_position", "位置不能为负数");
        }

        if (request.BeforePosition < 0)
        {
            errors.Add("before_position", "位置不能为负数");
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            errors.Add("page_size", $"每页条数须在 1–{MaxPageSize} 之间");
        }

        if (request.Name.Length > 100)
        {
            errors.Add("name", "名称不超过 100 个字符");
        }

        var from = Register.ParseDate(request.FromDate, "from_date", errors);
        var to = Register.ParseDate(request.ToDate, "to_date", errors);
        var kinds = Filters.Kinds(request.Kinds);
        Filters.CheckKinds(kinds, "kinds", errors);
        errors.ThrowIfAny();

        var pageSize = request.PageSize == 0 ? 100 : request.PageSize;
        await using var connection = await database.OpenAsync(cancellationToken);
        if (request.NewestFirst)
        {
            return await NewestFirstAsync(connection, request, from, to, pageSize, province, kinds, cancellationToken);
        }

        var rows = await Filters.ReadAsync(connection, Filters.ForDialect(database.Dialect, PageSqlLimit, PageSqlSqlServer), new
        {
            After = request.AfterPosition,
            ApplicationNumber = request.ApplicationNumber.Trim(),
            PageSize = pageSize,
        }, request.CountyCode, province, kinds, cancellationToken);

        var response = new ListRecordsResponse
        {
            NextPosition = rows.Count == 0 ? request.AfterPosition : rows[^1].Position,
        };
        response.Records.AddRange(rows.Select(r => r.ToMessage()));
        return response;
    }

    /// <summary>
    /// One page newest first: below before_position, or the page just above after_position (read upwards, then
    /// turned). One row more than the page tells whether a page lies beyond it; the side the reader came from has one.
    /// </summary>
    private async Task<ListRecordsResponse> NewestFirstAsync(
        System.Data.Common.DbConnection connection, ListRecordsRequest request, DateOnly? from, DateOnly? to, int pageSize,
        string? province, IReadOnlyList<string> kinds, CancellationToken cancellationToken)
    {
        var newer = request.AfterPosition > 0;
        var sql = newer
            ? Filters.ForDialect(database.Dialect, NewerSqlLimit, NewerSqlSqlServer)
            : Filters.ForDialect(database.Dialect, OlderSqlLimit, OlderSqlSqlServer);
        var name = request.Name.Trim();
        var rows = await Filters.ReadAsync(connection, sql, new
        {
            After = request.AfterPosition,
            Before = request.BeforePosition,
            ApplicationNumber = request.ApplicationNumber.Trim(),
            LicenceNumber = request.LicenceNumber.Trim(),
            NamePattern = name.Length == 0 ? "" : $"%{Register.EscapeLike(name)}%",
            HasFrom = from is null ? 0 : 1,
            From = from is { } f ? ChinaTime.StartOf(f) : DateTimeOffset.MinValue,
            HasTo = to is null ? 0 : 1,
            To = to is { } t ? ChinaTime.StartOf(t.AddDays(1)) : DateTimeOffset.MaxValue,
            Fetch = pageSize + 1,
        }, request.CountyCode, province, kinds, cancellationToken);

        var beyond = rows.Count > pageSize;
        var page = rows.Take(pageSize).ToList();
        if (newer)
        {
            page.Reverse();
        }

        var response = new ListRecordsResponse { NextPosition = request.AfterPosition };
        if (page.Count > 0)
        {
            response.OlderBeforePosition = newer || beyond ? page[^1].Position : 0;
            response.NewerAfterPosition = newer ? (beyond ? page[0].Position : 0) : (request.BeforePosition > 0 ? page[0].Position : 0);
        }

        response.Records.AddRange(page.Select(r => r.ToMessage()));
        return response;
    }
}
