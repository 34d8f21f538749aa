using Permits.Intake.Domain;

namespace Permits.Intake.Consumers;

/// <summary>
/// An event's change to its application (see <see cref="StatusConsumer{TMessage}"/>) in both forms: <see cref="Sql"/>,
/// the UPDATE of <c>@ApplicationId</c> that SQLite and SQL Server send before the history step, and
/// <see cref="SqlPostgres"/>, the same UPDATE as the CTE of <see cref="History.InsertIfKnownSql"/>. Each consumer makes
/// its own once, from the columns its event sets.
/// </summary>
public sealed record ApplicationUpdate(string Sql, string SqlPostgres)
{
    /// <summary>A SET item: the status becomes the step's (<c>@Status</c>) if it is one of <c>@From</c>, else stays.</summary>
    private const string MoveStatus = "status = CASE WHEN status IN @From THEN @Status ELSE status END";

    /// <summary><see cref="MoveStatus"/> as PostgreSQL takes the list (an array).</summary>
    private const string MoveStatusPostgres = "status = CASE WHEN status = ANY(@From) THEN @Status ELSE status END";

    /// <summary>
    /// The status moved to the step's if it is one of <c>@From</c>, and <paramref name="columns"/> (SET items) set
    /// either way; <paramref name="columnsPostgres"/> where PostgreSQL's form of them differs.
    /// </summary>
    public static ApplicationUpdate Advancing(string columns, string? columnsPostgres = null) =>
        Setting($"{MoveStatus}, {columns}", $"{MoveStatusPostgres}, {columnsPostgres ?? columns}");

    /// <summary><paramref name="columns"/> (SET items) set; the status stays.</summary>
    public static ApplicationUpdate Setting(string columns, string? columnsPostgres = null) => new(
        $"UPDATE applications SET {columns} WHERE id = @ApplicationId",
        $"""
        WITH change AS (UPDATE applications SET {columnsPostgres ?? columns} WHERE id = @ApplicationId)
        {History.InsertIfKnownSql}
        """);
}
