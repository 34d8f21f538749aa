using Dapper;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;

namespace Permits.Disclosure.Features;

/// <summary>
/// Walks the whole log in position order, recomputing every hash: an edited record, a removed one (the next record's
/// previous hash or sequence no longer fits) or a truncated tail (the head no longer matches) is reported at the first
/// position where the chain breaks.
/// </summary>
public sealed class VerifyChain(ServiceDatabase<DisclosureModule> database)
{
    private const int BatchSize = 1000;

    private const string BatchSqlSqlite = $"SELECT {LogRow.Columns} FROM disclosure_records WHERE position > @After ORDER BY position LIMIT @BatchSize";

    private const string BatchSqlPostgres = BatchSqlSqlite;

    private const string BatchSqlSqlServer = $"SELECT TOP (@BatchSize) {LogRow.Columns} FROM disclosure_records WHERE position > @After ORDER BY position";

    private const string HeadSql = """
        SELECT chain_sequence AS ChainSequence, last_position AS LastPosition, last_hash AS LastHash
        FROM disclosure_chain WHERE id = 1
        """;

    public async Task<VerifyChainResponse> HandleAsync(CancellationToken cancellationToken)
    {
        var sql = database.Dialect switch
        {
            SqlDialect.SqlServer => BatchSqlSqlServer,
            SqlDialect.PostgreSql => BatchSqlPostgres,
            _ => BatchSqlSqlite,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        // The head is read first: records appended while we walk lie beyond it and are not judged.
        var head = await connection.QuerySingleAsync<Head>(new CommandDefinition(HeadSql, cancellationToken: cancellationToken));

        long after = 0, sequence = 0, checkedCount = 0;
        var previousHash = "";
        while (after < head.LastPosition)
        {
            var batch = (await connection.QueryAsync<LogRow>(new CommandDefinition(
                sql, new { After = after, BatchSize }, cancellationToken: cancellationToken))).AsList();
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var row in batch)
            {
                if (row.Position > head.LastPosition)
                {
                    return Intact(checkedCount, head);
                }

                checkedCount++;
                var reason = Check(row, sequence + 1, previousHash);
                if (reason is not null)
                {
                    return Broken(checkedCount, row.Position, reason, head);
                }

                sequence++;
                previousHash = row.RecordHash!;
                after = row.Position;
            }
        }

        if (after != head.LastPosition || sequence != head.ChainSequence || previousHash != head.LastHash)
        {
            return Broken(checkedCount, after + 1,
                $"日志末尾与链头不符：链头为第 {head.ChainSequence} 条（位置 {head.LastPosition}），实际止于第 {sequence} 条（位置 {after}）",
                head);
        }

        return Intact(checkedCount, head);
    }

    private static string? Check(LogRow row, long expectedSequence, string expectedPrevious)
    {
        if (row.RecordHash is null || row.ChainSequence is null)
        {
            return "记录未入链（缺少哈希）";
        }

        if (row.ChainSequence != expectedSequence)
        {
            return $"链序号应为 {expectedSequence}，实为 {row.ChainSequence}（前面有记录缺失或重复）";
        }

        if (row.PreviousHash != expectedPrevious)
        {
            return "前一条哈希不符（前面的记录被改动、删除或调换）";
        }

        return row.ToEntry().Hash(expectedPrevious) == row.RecordHash ? null : "记录哈希不符（本条内容被改动）";
    }

    private static VerifyChainResponse Intact(long checkedCount, Head head) => new()
    {
        Intact = true, RecordsChecked = checkedCount, LastPosition = head.LastPosition, LastHash = head.LastHash,
    };

    private static VerifyChainResponse Broken(long checkedCount, long position, string reason, Head head) => new()
    {
        Intact = false,
        RecordsChecked = checkedCount,
        BrokenAtPosition = position,
        Reason = reason,
        LastPosition = head.LastPosition,
        LastHash = head.LastHash,
    };

    private sealed class Head
    {
        public long ChainSequence { get; init; }
        public long LastPosition { get; init; }
        public string LastHash { get; init; } = "";
    }
}
