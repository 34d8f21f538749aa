using System.Text.Json;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>Records after a position: a stable cursor, so a reader never misses or re-reads a record.</summary>
public sealed class ListRecords(ServiceDatabase<DisclosureModule> database)
{
    public const int MaxPageSize = 1000;

    private const string Columns = """
        position AS Position, record_id AS RecordId, kind AS Kind, application_number AS ApplicationNumber,
        county_code AS CountyCode, authority AS Authority, occurred_at AS OccurredAt, recorded_at AS RecordedAt,
        summary AS Summary, public_fields AS PublicFields
        """;

    private const string Filter = """
        position > @After
          AND (@CountyCode = '' OR county_code = @CountyCode)
          AND (@ApplicationNumber = '' OR application_number = @ApplicationNumber)
        """;

    private const string PageSqlSqlite = $"SELECT {Columns} FROM disclosure_records WHERE {Filter} ORDER BY position LIMIT @PageSize";

    private const string PageSqlPostgres = PageSqlSqlite;

    private const string PageSqlSqlServer = $"SELECT TOP (@PageSize) {Columns} FROM disclosure_records WHERE {Filter} ORDER BY position";

    public async Task<ListRecordsResponse> HandleAsync(ListRecordsRequest request, CancellationToken cancellationToken)
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

        errors.ThrowIfAny();

        var sql = database.Dialect switch
        {
            SqlDialect.SqlServer => PageSqlSqlServer,
            SqlDialect.PostgreSql => PageSqlPostgres,
            _ => PageSqlSqlite,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RecordRow>(sql, new
        {
            After = request.AfterPosition,
            CountyCode = request.CountyCode.Trim(),
            ApplicationNumber = request.ApplicationNumber.Trim(),
            PageSize = request.PageSize == 0 ? 100 : request.PageSize,
        })).AsList();

        var response = new ListRecordsResponse
        {
            NextPosition = rows.Count == 0 ? request.AfterPosition : rows[^1].Position,
        };
        foreach (var row in rows)
        {
            var record = new Record
            {
                Position = row.Position,
                RecordId = row.RecordId.ToString(),
                Kind = row.Kind,
                ApplicationNumber = row.ApplicationNumber,
                CountyCode = row.CountyCode,
                Authority = row.Authority,
                OccurredAt = Timestamp.FromDateTimeOffset(row.OccurredAt),
                RecordedAt = Timestamp.FromDateTimeOffset(row.RecordedAt),
                Summary = row.Summary,
            };
            record.PublicFields.Add(JsonSerializer.Deserialize<Dictionary<string, string>>(row.PublicFields) ?? []);
            response.Records.Add(record);
        }

        return response;
    }

    private sealed class RecordRow
    {
        public long Position { get; init; }
        public Guid RecordId { get; init; }
        public string Kind { get; init; } = "";
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string Authority { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string Summary { get; init; } = "";
        public string PublicFields { get; init; } = "{}";
    }
}
