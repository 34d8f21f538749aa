using Microsoft.Extensions.Options;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>
/// 双公示 register: licensing decisions with the national fields, newest first, searchable by county, decision date,
/// licensee name and licence number; plus the decisions published later than the limit.
/// </summary>
public sealed class Register(ServiceDatabase<DisclosureModule> database, IOptions<DisclosureOptions> options)
{
    public const int MaxPageSize = 200;

    // DisclosureKinds.Decisions, as SQL (a test keeps the two in step).
    public const string Decisions = """
        kind IN ('licence-approved', 'licence-denied', 'certificate-issued', 'certificate-suspended', 'certificate-revoked',
                 'certificate-changed', 'certificate-renewed', 'certificate-resumed', 'certificate-reissued')
        """;

    private const string Selected = $"""
        {LogRow.Columns},
        (SELECT MAX(s.position) FROM disclosure_records s
         WHERE s.supersedes_record_id = disclosure_records.record_id) AS SupersededByPosition
        """;

    private const string SearchFilter = $"""
        {Decisions}
          AND (@Before = 0 OR position < @Before)
          AND {Filters.ScopeFilter}
          AND (@HasFrom = 0 OR decision_date >= @FromDate)
          AND (@HasTo = 0 OR decision_date <= @ToDate)
          AND (@NamePattern = '' OR subject_name LIKE @NamePattern ESCAPE '\')
          AND (@LicenceNumber = '' OR licence_number = @LicenceNumber)
        """;

    private const string SearchSqlLimit = $"SELECT {Selected} FROM disclosure_records WHERE {SearchFilter} ORDER BY position DESC LIMIT @PageSize";

    private const string SearchSqlSqlServer = $"SELECT TOP (@PageSize) {Selected} FROM disclosure_records WHERE {SearchFilter} ORDER BY position DESC";

    private const string LateFilter = $"""
        {Decisions}
          AND (@Before = 0 OR position < @Before)
          AND {Filters.ScopeFilter}
          AND publication_working_days > @Limit
        """;

    private const string LateSqlLimit = $"SELECT {Selected} FROM disclosure_records WHERE {LateFilter} ORDER BY position DESC LIMIT @PageSize";

    private const string LateSqlSqlServer = $"SELECT TOP (@PageSize) {Selected} FROM disclosure_records WHERE {LateFilter} ORDER BY position DESC";

    public async Task<ListRegisterResponse> SearchAsync(ListRegisterRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var from = ParseDate(request.FromDate, "from_date", errors);
        var to = ParseDate(request.ToDate, "to_date", errors);
        CheckPage(request.PageSize, request.BeforePosition, errors);
        if (request.Name.Length > 100)
        {
            errors.Add("name", "名称不超过 100 个字符");
        }

        errors.ThrowIfAny();

        return await PageAsync(Filters.ForDialect(database.Dialect, SearchSqlLimit, SearchSqlSqlServer), new
        {
            Before = request.BeforePosition,
            HasFrom = from is null ? 0 : 1,
            FromDate = from ?? DateOnly.MinValue,
            HasTo = to is null ? 0 : 1,
            ToDate = to ?? DateOnly.MaxValue,
            NamePattern = request.Name.Trim().Length == 0 ? "" : $"%{EscapeLike(request.Name.Trim())}%",
            LicenceNumber = request.LicenceNumber.Trim(),
            PageSize = PageSize(request.PageSize),
        }, request.CountyCode, PageSize(request.PageSize), cancellationToken);
    }

    public async Task<ListRegisterResponse> LateAsync(ListLatePublicationsRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        CheckPage(request.PageSize, request.BeforePosition, errors);
        errors.ThrowIfAny();

        return await PageAsync(Filters.ForDialect(database.Dialect, LateSqlLimit, LateSqlSqlServer), new
        {
            Before = request.BeforePosition,
            Limit = options.Value.PublicationLimitWorkingDays,
            PageSize = PageSize(request.PageSize),
        }, request.CountyCode, PageSize(request.PageSize), cancellationToken);
    }

    /// <summary>One page of the register, newest first, in <paramref name="countyCode"/> ('' for every county).</summary>
    private async Task<ListRegisterResponse> PageAsync(
        string sql, object values, string countyCode, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await Filters.ReadAsync(connection, sql, values, countyCode, null, null, cancellationToken);
        var response = new ListRegisterResponse
        {
            NextBeforePosition = rows.Count == pageSize ? rows[^1].Position : 0,
        };
        var limit = options.Value.PublicationLimitWorkingDays;
        response.Entries.AddRange(rows.Select(row => new RegisterEntry
        {
            Record = row.ToMessage(),
            DecisionDate = ChinaTime.Text(row.DecisionDate),
            PublishedDate = ChinaTime.Text(ChinaTime.DateOf(row.RecordedAt)),
            PublicationWorkingDays = row.PublicationWorkingDays ?? 0,
            Late = row.PublicationWorkingDays > limit,
            SupersededByPosition = row.SupersededByPosition ?? 0,
        }));
        return response;
    }

    private static int PageSize(int requested) => requested == 0 ? 50 : requested;

    private static void CheckPage(int pageSize, long before, FieldErrors errors)
    {
        if (pageSize is < 0 or > MaxPageSize)
        {
            errors.Add("page_size", $"每页条数须在 1–{MaxPageSize} 之间");
        }

        if (before < 0)
        {
            errors.Add("before_position", "位置不能为负数");
        }
    }

    /// <summary>A yyyy-MM-dd search date; null when empty; an error on the field when unreadable.</summary>
    public static DateOnly? ParseDate(string text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (ChinaTime.TryParseDate(text, out var date))
        {
            return date;
        }

        errors.Add(field, "日期格式应为 yyyy-MM-dd");
        return null;
    }

    /// <summary>Text searched with LIKE … ESCAPE '\': its wildcards taken literally.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Kinds the register lists (双公示 行政许可 decisions).</summary>
    public static IReadOnlySet<string> Kinds => DisclosureKinds.Decisions;
}
