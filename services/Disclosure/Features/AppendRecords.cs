using System.Text.Json;
using Permits.Contracts.Disclosure;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>
/// Appends records to the log, in the given order, once per record id, each hash-chained to the record before it.
/// Every append first locks the one chain-head row, so appends are serialised even across replicas: a position is
/// allocated and committed only after every smaller one has committed, and a reader resuming after position P never
/// later sees a record below P appear (an identity column alone allows that under concurrent writers).
/// </summary>
public sealed class AppendRecords(TimeProvider time, WorkingDayCalendar calendar)
{
    // A no-op update takes the head row's write lock until commit (PostgreSQL, SQL Server; SQLite has one writer)
    // and reads the head in the same round trip.
    private const string LockHeadSqlPostgres = """
        UPDATE disclosure_chain SET last_position = last_position WHERE id = 1
        RETURNING chain_sequence AS ChainSequence, last_position AS LastPosition, last_hash AS LastHash
        """;

    private const string LockHeadSqlSqlite = LockHeadSqlPostgres;

    private const string LockHeadSqlSqlServer = """
        UPDATE disclosure_chain SET last_position = last_position
        OUTPUT INSERTED.chain_sequence AS ChainSequence, INSERTED.last_position AS LastPosition, INSERTED.last_hash AS LastHash
        WHERE id = 1
        """;

    private const string UnsealedSql = $"SELECT {LogRow.Columns} FROM disclosure_records WHERE position > @After ORDER BY position";

    private const string SealSql = """
        UPDATE disclosure_records
        SET chain_sequence = @ChainSequence, previous_hash = @PreviousHash, record_hash = @RecordHash
        WHERE position = @Position AND record_hash IS NULL
        """;

    private const string Insert = """
        INSERT INTO disclosure_records (
            record_id, kind, application_id, application_number, county_code, authority, occurred_at, recorded_at,
            summary, public_fields, supersedes_record_id, chain_sequence, previous_hash, record_hash, subject_name,
            licence_number, decision_date, publication_working_days)
        """;

    private const string Values = """
        SELECT @RecordId, @Kind, @ApplicationId, @ApplicationNumber, @CountyCode, @Authority, @OccurredAt, @RecordedAt,
            @Summary, @PublicFields, @Supersedes, @ChainSequence, @PreviousHash, @RecordHash, @SubjectName,
            @LicenceNumber, @DecisionDate, @PublicationWorkingDays
        WHERE NOT EXISTS (SELECT 1 FROM disclosure_records WHERE record_id = @RecordId)
        """;

    private const string AppendSqlPostgres = $"{Insert} {Values} RETURNING position";

    private const string AppendSqlSqlite = AppendSqlPostgres;

    private const string AppendSqlSqlServer = $"{Insert} OUTPUT INSERTED.position {Values}";

    private const string MoveHeadSql = """
        UPDATE disclosure_chain SET chain_sequence = @ChainSequence, last_position = @LastPosition, last_hash = @LastHash
        WHERE id = 1
        """;

    /// <summary>Fields that name a natural person: masked here too, in case a sender forgot (张三丰 → 张**).</summary>
    private static readonly HashSet<string> PersonFields = new(StringComparer.Ordinal) { "XK_FRDB", "经营者", "负责人" };

    // Once one append has committed, every record is sealed and only chained appends follow: no need to look again.
    private volatile bool _legacySealed;

    /// <summary>Appends in the session's transaction; returns how many were new.</summary>
    public async Task<int> AppendAsync(DbSession session, IReadOnlyList<DisclosureRecorded> records)
    {
        var head = await session.QuerySingleOrDefaultAsync<Head>(session.Dialect switch
            {
                SqlDialect.SqlServer => LockHeadSqlSqlServer,
                SqlDialect.PostgreSql => LockHeadSqlPostgres,
                _ => LockHeadSqlSqlite,
            })
            ?? throw new InvalidOperationException("disclosure_chain has no head row; schema script 002 did not run.");
        var sequence = head.ChainSequence;
        var lastHash = head.LastHash;
        var lastPosition = head.LastPosition;

        // Records stored before the chain existed are sealed once, in position order, before anything new.
        IEnumerable<LogRow> legacyRows = _legacySealed ? [] : await session.QueryAsync<LogRow>(UnsealedSql, new { After = head.LastPosition });
        foreach (var legacy in legacyRows)
        {
            sequence++;
            var hash = (legacy.ToEntry() with { ChainSequence = sequence }).Hash(lastHash);
            await session.ExecuteAsync(SealSql, new
            {
                ChainSequence = sequence, PreviousHash = lastHash, RecordHash = hash, legacy.Position,
            });
            lastHash = hash;
            lastPosition = legacy.Position;
        }

        var sql = session.Dialect switch
        {
            SqlDialect.SqlServer => AppendSqlSqlServer,
            SqlDialect.PostgreSql => AppendSqlPostgres,
            _ => AppendSqlSqlite,
        };
        var recordedAt = ChainEntry.Truncate(time.GetUtcNow());
        var published = ChinaTime.DateOf(recordedAt);
        var appended = 0;
        foreach (var message in InCaseOrder(records))
        {
            var names = UnmaskedNames(message.PublicFields);
            var fields = message.PublicFields.ToDictionary(
                f => f.Key, f => PersonalData.DeidentifyField(f.Key, f.Value, names), StringComparer.Ordinal);
            var entry = new ChainEntry(
                sequence + 1, message.RecordId, message.Kind, message.ApplicationId, message.ApplicationNumber,
                message.CountyCode, message.Authority, ChainEntry.Truncate(message.OccurredAt), recordedAt,
                PersonalData.Deidentify(message.Summary, names), fields, message.Supersedes);
            var recordHash = entry.Hash(lastHash);
            var decided = Publication.DecisionDate(message.Kind, message.OccurredAt, fields);
            var position = await session.ExecuteScalarAsync<long?>(sql, new
            {
                entry.RecordId,
                entry.Kind,
                entry.ApplicationId,
                entry.ApplicationNumber,
                entry.CountyCode,
                entry.Authority,
                entry.OccurredAt,
                entry.RecordedAt,
                entry.Summary,
                PublicFields = JsonSerializer.Serialize(fields),
                entry.Supersedes,
                entry.ChainSequence,
                PreviousHash = lastHash,
                RecordHash = recordHash,
                SubjectName = fields.GetValueOrDefault("XK_XDR_MC"),
                LicenceNumber = fields.GetValueOrDefault("XK_XKBH"),
                DecisionDate = decided,
                PublicationWorkingDays = decided is { } day ? Publication.WorkingDaysBetween(calendar, day, published) : (int?)null,
            });
            if (position is not { } stored)
            {
                continue; // already in the log: a redelivery
            }

            if (stored <= lastPosition)
            {
                throw new InvalidOperationException($"Position {stored} is not after the chain head {lastPosition}.");
            }

            sequence++;
            lastHash = recordHash;
            lastPosition = stored;
            appended++;
        }

        if (sequence != head.ChainSequence)
        {
            await session.ExecuteAsync(MoveHeadSql, new { ChainSequence = sequence, LastPosition = lastPosition, LastHash = lastHash });
        }

        return appended;
    }

    /// <summary>Called after the append's transaction committed.</summary>
    public void Committed()
    {
        _legacySealed = true;
    }

    /// <summary>
    /// Arrival order, except that one case's records keep the order they occurred in (a batch may hand two steps of a
    /// case over slightly out of order): each case's slots are refilled with its records sorted by time. Duplicates
    /// within the batch keep their first copy.
    /// </summary>
    public static IReadOnlyList<DisclosureRecorded> InCaseOrder(IReadOnlyList<DisclosureRecorded> records)
    {
        var unique = records.DistinctBy(r => r.RecordId).ToList();
        var sorted = unique.GroupBy(r => r.ApplicationId)
            .ToDictionary(g => g.Key, g => new Queue<DisclosureRecorded>(g.OrderBy(r => r.OccurredAt)));
        return unique.Select(r => sorted[r.ApplicationId].Dequeue()).ToList();
    }

    /// <summary>
    /// Names a sender left unmasked in a person field: with them, the one policy (<see cref="PersonalData.Deidentify"/>)
    /// masks the summary and every field but those the law publishes as they are, before the record is published or
    /// hashed. Senders mask already (with the names they know); this is the last line of defence.
    /// </summary>
    private static List<string> UnmaskedNames(IReadOnlyDictionary<string, string> fields) =>
        fields.Where(f => PersonFields.Contains(f.Key))
            .Select(f => f.Value.Trim())
            .Where(v => v.Length > 1 && !v.Contains('*', StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(v => v.Length)
            .ToList();

    private sealed class Head
    {
        public long ChainSequence { get; init; }
        public long LastPosition { get; init; }
        public string LastHash { get; init; } = "";
    }
}
