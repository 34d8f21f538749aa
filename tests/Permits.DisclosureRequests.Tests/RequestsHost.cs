using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure;
using Permits.Disclosure.Requests;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.DisclosureRequests.Tests;

public enum Engine { PostgreSql, Sqlite }

/// <summary>
/// The Disclosure service alone on a fresh database (PostgreSQL on the test server, or a SQLite file), with a clock
/// the tests set by hand and the in-memory bus (requests publish nothing). Trusts the test tokens.
/// </summary>
public sealed class RequestsHost : ServiceHost
{
    public const string Haiyan = "330424";
    public const string Jiashan = "330421";
    public const string Haining = "330481";
    public const string Kunshan = "320583";

    private RequestsHost(Engine engine)
        : base("disclosure_requests", engine.ToString())
    {
    }

    public ManualTime Time { get; } = ManualTime.AtChinaTime(2026, 3, 2);

    public InformationRequests.InformationRequestsClient Public => new(Channel);

    public InformationRequestDesk.InformationRequestDeskClient Desk => new(Channel);

    public IRequestYearFigures Figures => Services.GetRequiredService<IRequestYearFigures>();

    public static async Task<RequestsHost> StartAsync(Engine engine)
    {
        var host = new RequestsHost(engine);
        await host.StartAsync(new ServiceSetup
        {
            Relay = true,
            Time = host.Time,
            Add = builder => builder.AddDisclosureService(),
            Map = app => app.MapDisclosureService(),
        });
        return host;
    }

    /// <summary>A disclosure clerk's token (audience permits-disclosure) as gRPC metadata.</summary>
    public static Metadata Clerk(string county = Haiyan) => Bearer(Tokens.OfficerFor(PermitsAudiences.Disclosure, county, PermitsRoles.DisclosureClerk));
}

/// <summary>One host per test class, per engine.</summary>
public abstract class HostFixture(Engine engine) : IAsyncLifetime
{
    public RequestsHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await RequestsHost.StartAsync(engine);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class PostgresFixture() : HostFixture(Engine.PostgreSql);

public sealed class SqliteFixture() : HostFixture(Engine.Sqlite);
