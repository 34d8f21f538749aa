using Npgsql;
using Permits.Contracts.Disclosure.V1;
using Permits.LocalInfra;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// The operator's backup and restore (deploy/ops/backup.sh and restore.sh, pg_dump/pg_restore): the Disclosure database
/// of a running service is dumped, restored into a new database, and a Disclosure service started on the copy finds
/// every record and an intact hash chain ending in the same hash.
/// </summary>
public sealed class When_the_disclosure_database_is_backed_up_and_restored : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("permits-backup-").FullName;
    private DisclosureHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DisclosureHost.StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            var id = DeterministicGuid.Create("backup-test", i);
            var at = new DateTimeOffset(2026, 5, 6, 2, 0, 0, TimeSpan.Zero).AddMinutes(i);
            foreach (var kind in Records.HappyPath)
            {
                await _host.PublishAsync(Records.Step(kind, id, $"YC2026B{i:D5}", Records.Haiyan, at, "李四", $"店{i}"));
            }
        }

        await _host.WaitForCountAsync(3 * Records.HappyPath.Length, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Should_restore_every_record_with_the_chain_intact_in_a_new_database()
    {
        var original = await _host.Log.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(original.Intact, original.Reason);

        var source = new NpgsqlConnectionStringBuilder(_host.ConnectionString);
        var server = $"postgresql://{source.Username}@{source.Host}:{source.Port}";
        var dump = (await RunAsync("backup.sh", server, _folder, source.Database!)).Trim();
        Assert.True(File.Exists(dump), dump);
        Assert.True(File.Exists(dump + ".sha256"));

        var copy = $"restored_{Guid.NewGuid():N}"[..24];
        await RunAsync("restore.sh", server, copy, dump);
        // Restoring over an existing database is refused: a restore never overwrites.
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("restore.sh", server, copy, dump));

        await using var restored = await DisclosureHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = new NpgsqlConnectionStringBuilder(_host.ConnectionString) { Database = copy }.ConnectionString,
        });
        var result = await restored.Log.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(result.Intact, result.Reason);
        Assert.Equal(original.RecordsChecked, result.RecordsChecked);
        Assert.Equal(original.LastHash, result.LastHash);
        Assert.Equal(await _host.CountAsync(), await restored.CountAsync());
    }

    private static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var path = Path.Combine(RepoPaths.Root, "deploy", "ops", script);
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [path, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {await output}{await error}");
    }
}
