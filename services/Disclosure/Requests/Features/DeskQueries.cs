using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>The clerk's queue (own county, nearest due date first; requests awaiting a correction last) and case page.</summary>
public sealed class DeskQueries(ServiceDatabase<DisclosureModule> database, CountyDirectory counties)
{
    public const int MaxPageSize = 200;

    private const string QueueOrder = "ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, filed_at, request_number";

    private const string QueueSqlSqlServer =
        $"SELECT TOP (@PageSize) {RequestRow.Columns} FROM disclosure_requests WHERE county_code = @County AND state IN (@S0, @S1, @S2, @S3) {QueueOrder}";

    private const string QueueSqlPostgres =
        $"SELECT {RequestRow.Columns} FROM disclosure_requests WHERE county_code = @County AND state IN (@S0, @S1, @S2, @S3) {QueueOrder} LIMIT @PageSize";

    private const string QueueSqlSqlite = QueueSqlPostgres;

    private const string CountSql = """
        SELECT state AS State, COUNT(*) AS N FROM disclosure_requests WHERE county_code = @County GROUP BY state
        """;

    public async Task<ListInformationRequestsResponse> ListAsync(ListInformationRequestsRequest request, Officer clerk, CancellationToken ct)
    {
        IReadOnlyList<RequestState> states;
        var filter = request.State.Trim();
        if (filter.Length == 0)
        {
            states = RequestTerms.OpenStates;
        }
        else if (filter == "All")
        {
            states = Enum.GetValues<RequestState>();
        }
        else if (RequestTerms.TryParse<RequestState>(filter, out var one))
        {
            states = [one];
        }
        else
        {
            new FieldErrors().Add("state", "状态应为 Received、AwaitingCorrection、Consulting、Answered 或 All").ThrowIfAny();
            throw new System.Diagnostics.UnreachableException();
        }

        var pageSize = request.PageSize is <= 0 or > MaxPageSize ? 50 : request.PageSize;
        var sql = database.Dialect switch
        {
            SqlDialect.SqlServer => QueueSqlSqlServer,
            SqlDialect.PostgreSql => QueueSqlPostgres,
            _ => QueueSqlSqlite,
        };
        await using var session = await database.BeginAsync(ct);
        // Portable SQL has no list parameters: four slots, padded with the first state.
        var names = states.Select(s => s.ToString()).ToList();
        string Slot(int i) => names[i < names.Count ? i : 0];
        var parameters = new { County = clerk.CountyCode, S0 = Slot(0), S1 = Slot(1), S2 = Slot(2), S3 = Slot(3), PageSize = pageSize };
        var rows = await session.QueryAsync<RequestRow>(sql, parameters);
        var counts = (await session.QueryAsync<StateCount>(CountSql, new { County = clerk.CountyCode })).ToList();
        await session.CommitAsync(ct);

        var reply = new ListInformationRequestsResponse
        {
            Total = (int)counts.Where(c => states.Any(s => s.ToString() == c.State)).Sum(c => c.N),
        };
        reply.Requests.AddRange(rows.Select(r => RequestViews.ToView(r, [], [], counties, forClerk: true)));
        foreach (var count in counts)
        {
            reply.StateCounts[count.State] = (int)count.N;
        }

        return reply;
    }

    public async Task<InformationRequestView> GetAsync(GetInformationRequestRequest request, Officer clerk, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RequestNumber))
        {
            new FieldErrors().Add("request_number", "请指明申请编号").ThrowIfAny();
        }

        await using var session = await database.BeginAsync(ct);
        var row = await LoadForClerkAsync(session, request.RequestNumber, clerk);
        var (steps, appeals) = await RequestStore.DetailsAsync(session, row.Id);
        await session.CommitAsync(ct);
        return RequestViews.ToView(row, steps, appeals, counties, forClerk: true);
    }

    /// <summary>The request, if it exists and the clerk may see it (their county's); NOT_FOUND or PERMISSION_DENIED otherwise.</summary>
    private static async Task<RequestRow> LoadForClerkAsync(DbSession session, string number, Officer clerk)
    {
        var row = await RequestStore.FindAsync(session, number.Trim().ToUpperInvariant())
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"未找到申请 {number.Trim()}"));
        if (OfficerGuard.Decide(clerk, DisclosureSteps.ViewDesk, row.CountyCode, DisclosureSteps.RequestNoun) is { Allowed: false } verdict)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }

        return row;
    }

    private sealed class StateCount
    {
        public string State { get; init; } = "";
        public long N { get; init; }
    }
}
