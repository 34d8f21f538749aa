using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Security;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

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
        var channel = Channels.For(grpcUrl);
        Invoker = channel.CreateCallInvoker();
        Client = new Applications.ApplicationsClient(channel);
    }

    public Applications.ApplicationsClient Client { get; }

    /// <summary>For calls the generated client cannot make (bytes that are not a valid message).</summary>
    public CallInvoker Invoker { get; }

    /// <summary>The bearer header of a signed-in shopkeeper (by default the sample applicant).</summary>
    public static Metadata As(string phoneNumber = "13800571234") =>
        new() { { "Authorization", "Bearer " + Tokens.Applicant(phoneNumber) } };

    /// <summary>The bearer header of a county officer (clerk, inspector, reviewer, head, disclosure-clerk).</summary>
    public static Metadata AsOfficer(string county, string role) =>
        new() { { "Authorization", "Bearer " + Tokens.OfficerFor("permits-intake", county, role) } };

    /// <summary>Publishes an event on the host's in-memory bus, as another service would.</summary>
    public Task PublishAsync<T>(T message) where T : class => _app.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>
    /// Publishes an event with the given message id (a redelivery carries the same one) and returns once Intake's
    /// consumer has finished with it, whether it changed anything or not (at most 20 seconds).
    /// </summary>
    public async Task PublishAndWaitAsync<T>(T message, Guid messageId) where T : class
    {
        var bus = _app.Services.GetRequiredService<IBus>();
        var observer = new ConsumedObserver(messageId);
        using var handle = bus.ConnectConsumeObserver(observer);
        await bus.Publish(message, context => context.MessageId = messageId);
        await observer.Consumed.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private sealed class ConsumedObserver(Guid messageId) : IConsumeObserver
    {
        private readonly TaskCompletionSource _consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Consumed => _consumed.Task;

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.MessageId == messageId)
            {
                _consumed.TrySetResult();
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    /// <param name="requireMaterials">Most tests are about other things and submit without materials.</param>
    /// <param name="settings">More configuration (e.g. Intake:RequirementsFile).</param>
    public static async Task<IntakeHost> StartAsync(
        string provider, bool requireMaterials = false, IDictionary<string, string?>? settings = null)
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
            ["Intake:Materials:Required"] = requireMaterials ? "true" : "false",
        });
        builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults();
        // These tests are about Intake's own rules: Certificate's answer to "does this applicant hold the licence?" is
        // yes here. The real question, asked of the real Certificate, is tested in Permits.Certificate.Tests (HolderTests).
        builder.Services.AddSingleton<ILicenceHolders, EveryApplicantHoldsTheLicence>();
        builder.AddIntakeService();
        builder.AddPermitsBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntakeService();
        await app.StartAsync();
        return new IntakeHost(app, provider, connectionString, grpcUrl);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException(sql);
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

/// <summary>Certificate's answer for Intake's own tests: whoever applies holds the licence, matched by the 身份证号.</summary>
internal sealed class EveryApplicantHoldsTheLicence : ILicenceHolders
{
    public Task<string> RequireHolderAsync(
        string licenceNumber, string? creditCode, string idNumber, string? authorization, CancellationToken cancellationToken) =>
        Task.FromResult(string.IsNullOrEmpty(creditCode) ? "IdNumber" : "CreditCode");
}
