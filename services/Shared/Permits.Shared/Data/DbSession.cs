using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Permits.Shared.Messaging;

namespace Permits.Shared.Data;

/// <summary>
/// A connection with an open transaction. Messages added with <see cref="PublishAsync{T}"/> are written to the
/// outbox in the same transaction, so they leave only if the state change commits, and always if it does.
/// </summary>
public sealed class DbSession(DbConnection connection, DbTransaction transaction, SqlDialect dialect, Action afterCommit)
    : IAsyncDisposable
{
    private bool _published;

    public DbConnection Connection => connection;

    public DbTransaction Transaction => transaction;

    public SqlDialect Dialect => dialect;

    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        connection.ExecuteAsync(sql, parameters, transaction);

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        connection.QueryAsync<T>(sql, parameters, transaction);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) =>
        connection.QuerySingleOrDefaultAsync<T>(sql, parameters, transaction);

    public Task<T> ExecuteScalarAsync<T>(string sql, object? parameters = null) =>
        connection.ExecuteScalarAsync<T>(sql, parameters, transaction)!;

    /// <summary>Adds a message to the outbox. Its id becomes the MassTransit MessageId, which consumers' inboxes key on.</summary>
    public async Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var type = typeof(T);
        await connection.ExecuteAsync(
            OutboxSql.InsertSql,
            new
            {
                MessageId = messageId ?? Guid.NewGuid(),
                MessageName = MessageNames.Of(type),
                MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
                Body = JsonSerializer.Serialize(message, type, OutboxJson.Options),
                TraceParent = Activity.Current?.Id,
                CreatedAt = DateTimeOffset.UtcNow,
            },
            transaction);
        _published = true;
    }

    /// <summary>Adds a disclosure record to the outbox, keyed by its record id so it is stored once.</summary>
    public Task DiscloseAsync(Permits.Contracts.Disclosure.DisclosureRecorded record) => PublishAsync(record, record.RecordId);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        if (_published)
        {
            afterCommit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
