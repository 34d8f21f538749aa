using Npgsql;
using Permits.LocalInfra;

namespace Permits.Shared.Tests;

/// <summary>
/// The fault run kills PostgreSQL while consumers commit and ack: a commit acknowledged just before the kill must be
/// there after the restart, or the broker has dropped a message whose effect is gone (seen in CI as a journey stuck
/// at 已受理 while the server ran with <c>synchronous_commit=off</c>).
/// </summary>
public sealed class When_a_crash_safe_test_database_is_killed_right_after_commits
{
    [Fact]
    public async Task Should_keep_every_commit_it_acknowledged()
    {
        await using var server = await PostgresServer.StartAsync(RepoPaths.ServerWork("crash-safe"), crashSafe: true);
        const int commits = 200;
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE acknowledged (n int PRIMARY KEY)", connection);
            await create.ExecuteNonQueryAsync();
            for (var n = 1; n <= commits; n++)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO acknowledged VALUES ({n})", connection);
                await insert.ExecuteNonQueryAsync();
            }
        }

        NpgsqlConnection.ClearAllPools();
        await server.RestartAsync();

        await using var after = new NpgsqlConnection(server.ConnectionString("postgres"));
        await after.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM acknowledged", after);
        Assert.Equal(commits, Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
