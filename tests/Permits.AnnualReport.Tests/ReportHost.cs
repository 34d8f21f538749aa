using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Reports.Tests;

public enum Engine { PostgreSql, Sqlite }

/// <summary>
/// The Disclosure service alone on a fresh database (PostgreSQL on the test server, or a SQLite file). Records arrive
/// the real way: published on the bus, appended by the service's consumer; the bus is RabbitMQ when asked for (the
/// seed's thousand decisions), else MassTransit's in-memory transport (no broker round trip for tests that need none).
/// A clock the tests set by hand (China time); trusts the test tokens.
/// </summary>
public sealed class ReportHost : ServiceHost
{
    public const string Haiyan = "330424";
    public const string Jiashan = "330421";

    private ReportHost(Engine engine)
        : base("annual_reports", engine.ToString())
    {
        Engine = engine;
    }

    public Engine Engine { get; }

    public ManualTime Time { get; } = ManualTime.AtChinaTime(2026, 3, 2);

    public AnnualReports.AnnualReportsClient Reports => new(Channel);

    public InformationRequests.InformationRequestsClient Requests => new(Channel);

    public InformationRequestDesk.InformationRequestDeskClient Desk => new(Channel);

    public static async Task<ReportHost> StartAsync(Engine engine, bool rabbitMq = false)
    {
        var host = new ReportHost(engine);
        await host.StartAsync(new ServiceSetup
        {
            RabbitMq = rabbitMq,
            Relay = true,
            Time = host.Time,
            Add = builder => builder.AddDisclosureService(),
            Map = app => app.MapDisclosureService(),
        });
        return host;
    }

    /// <summary>A disclosure clerk's token (audience permits-disclosure) as gRPC metadata.</summary>
    public static Metadata Clerk(string county = Haiyan) =>
        Bearer(Tokens.OfficerFor(PermitsAudiences.Disclosure, county, PermitsRoles.DisclosureClerk));

    /// <summary>Publishes records on the bus and waits (bounded) until the log holds this many more.</summary>
    public async Task AppendAsync(IReadOnlyList<DisclosureRecorded> records, TimeSpan timeout)
    {
        var before = await ScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records");
        foreach (var chunk in records.Chunk(200))
        {
            await Task.WhenAll(chunk.Select(r => Bus.Publish(r)));
        }

        var expected = before + records.Count;
        await WaitUntilAsync(
            async () => await ScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records") >= expected,
            $"{expected} records in the log", (int)timeout.TotalSeconds);
    }
}

/// <summary>One host per test class, per engine.</summary>
public abstract class HostFixture(Engine engine) : IAsyncLifetime
{
    public ReportHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ReportHost.StartAsync(engine);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class PostgresFixture() : HostFixture(Engine.PostgreSql);

public sealed class SqliteFixture() : HostFixture(Engine.Sqlite);
