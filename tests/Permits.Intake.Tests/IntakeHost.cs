using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;
using Permits.Contracts.Intake.V1;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// The Intake service alone, on a real database, over real gRPC. Its relay is off, so every message a call caused is
/// still in the outbox to be counted.
/// </summary>
public sealed class IntakeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _provider;
    private readonly string _connectionString;

    private IntakeHost(WebApplication app, string provider, string connectionString, string grpcUrl)
    {
        _app = app;
        _provider = provider;
        _connectionString = connectionString;
        Client = new Applications.ApplicationsClient(Channels.For(grpcUrl));
    }

    public Applications.ApplicationsClient Client { get; }

    public static async Task<IntakeHost> StartAsync(string provider)
    {
        string connectionString;
        if (provider == "PostgreSql")
        {
            connectionString = await (await TestServers.GetAsync()).NewDatabaseAsync("intake_tests");
        }
        else
        {
            var folder = Path.Combine(Path.GetTempPath(), "permits-intake-tests", Guid.NewGuid().ToString("N"));
            connectionString = $"Data Source={Path.Combine(folder, "intake.db")}";
        }

        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = provider,
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = connectionString,
            ["Bus:Transport"] = "InMemory",
            ["Outbox:RelayEnabled"] = "false",
        });
        builder.AddServiceDefaults();
        builder.AddIntakeService();
        builder.AddPermitsBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntakeService();
        await app.StartAsync();
        return new IntakeHost(app, provider, connectionString, grpcUrl);
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = Open();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    private DbConnection Open() =>
        _provider == "PostgreSql" ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
