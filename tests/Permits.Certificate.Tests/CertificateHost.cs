using Dapper;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Permits.Certificate.Features;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Review;
using Permits.LocalInfra;
using Permits.Shared.Data;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// One Certificate service instance on a real PostgreSQL database, over real gRPC. Its relay is off, so the messages
/// a step caused stay in the outbox to be counted. Several hosts may share one database (several instances).
/// </summary>
public sealed class CertificateHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CertificateHost(WebApplication app, string connectionString, string grpcUrl, string dataDirectory)
    {
        _app = app;
        HttpUrl = app.Configuration["urls"]!;
        ConnectionString = connectionString;
        DataDirectory = dataDirectory;
        GrpcUrl = grpcUrl;
        Client = new Certificates.CertificatesClient(Channels.For(grpcUrl));
    }

    public Certificates.CertificatesClient Client { get; }

    public string ConnectionString { get; }

    public string GrpcUrl { get; }

    /// <summary>The HTTP/1.1 address, where rpcs with HTTP rules are served as REST/JSON.</summary>
    public string HttpUrl { get; }

    public string Provider { get; private init; } = "PostgreSql";

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<string> NewDatabaseAsync() =>
        await (await TestServers.GetAsync()).NewDatabaseAsync("certificate_tests");

    public static async Task<CertificateHost> StartAsync(
        string? connectionString = null, string? dataDirectory = null, IDictionary<string, string?>? settings = null,
        string provider = "PostgreSql", IReadOnlyList<string>? extraAudiences = null, TimeProvider? time = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "permits-certificate-tests", Guid.NewGuid().ToString("N"));
        connectionString ??= provider == "PostgreSql"
            ? await NewDatabaseAsync()
            : $"Data Source={Path.Combine(dataDirectory, "certificate.db")}";
        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = provider,
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = connectionString,
            ["Bus:Transport"] = "InMemory",
            ["Outbox:RelayEnabled"] = "false",
            ["DataDirectory"] = dataDirectory,
        };
        foreach (var (key, value) in Tokens.Configuration)
        {
            configuration[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        builder.AddCertificateService();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        foreach (var audience in extraAudiences ?? [])
        {
            // Identity's tokens name every Permits API; a test token names one, so a host may accept another's.
            builder.AddPermitsAuthentication(audience);
        }

        builder.AddPermitsBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapCertificateService();
        await app.StartAsync();
        return new CertificateHost(app, connectionString, grpcUrl, dataDirectory) { Provider = provider };
    }

    /// <summary>An officer of 海盐县 with the 受理 and 审批 roles (every lifecycle step), as a bearer header.</summary>
    public static Metadata Officer { get; } = OfficerOf("330424", "clerk", "head");

    /// <summary>An officer of <paramref name="county"/> in <paramref name="roles"/>, for this API.</summary>
    public static Metadata OfficerOf(string county, params string[] roles) =>
        new() { { "Authorization", "Bearer " + Tokens.OfficerFor("permits-certificate", county, roles) } };

    /// <summary>A signed-in shopkeeper, for this API (subject applicant-{phone}, as Tokens.Applicant gives Intake).</summary>
    public static Metadata Applicant(string phoneNumber) =>
        new() { { "Authorization", "Bearer " + Tokens.Applicant(phoneNumber, audience: "permits-certificate") } };

    /// <summary>Issues a licence the way the LicenceApproved consumer does: one transaction on this instance.</summary>
    public async Task<string?> IssueAsync(LicenceApproved approval)
    {
        using var scope = _app.Services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<ServiceDatabase<CertificateModule>>();
        var issue = scope.ServiceProvider.GetRequiredService<IssueCertificate>();
        await using var session = await database.BeginAsync(CancellationToken.None);
        var number = await issue.HandleAsync(approval, session);
        await session.CommitAsync(CancellationToken.None);
        return number;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<IReadOnlyList<string>> OutboxTypesAsync()
    {
        await using var connection = Open();
        return (await connection.QueryAsync<string>("SELECT message_type FROM outbox_messages ORDER BY sequence")).ToList();
    }

    /// <summary>The outbox bodies of one message type (its assembly-qualified name), in the order they were written.</summary>
    public async Task<IReadOnlyList<string>> OutboxBodiesAsync(string messageType)
    {
        await using var connection = Open();
        return (await connection.QueryAsync<string>(
            "SELECT body FROM outbox_messages WHERE message_type = @MessageType ORDER BY sequence", new { MessageType = messageType })).ToList();
    }

    private System.Data.Common.DbConnection Open() =>
        Provider == "PostgreSql" ? new NpgsqlConnection(ConnectionString) : new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);

    public static LicenceApproved Approval(string countyCode = "330424", string holderType = "IndividualBusiness", string? name = null)
    {
        var applicationId = Guid.NewGuid();
        return new LicenceApproved(
            applicationId, Guid.NewGuid(), $"{countyCode}-20261123-{applicationId.ToString("N")[..5]}", countyCode, holderType,
            name ?? "海盐县武原街道便民烟杂店", holderType == "Enterprise" ? "91330424MA2B3C4D5E" : null, "张三", "浙江省嘉兴市海盐县武原街道盐湖路 1 号",
            null, "盐烟专许〔2026〕1号", "officer-1", DateTimeOffset.UtcNow.AddDays(-1), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
