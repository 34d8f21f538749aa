using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests.Hosting;

public sealed class When_the_outbox_has_not_published_for_a_while : IAsyncLifetime
{
    private readonly string _file = Path.Combine(TestData.NewFolder("metrics-tests"), "guard.db");
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ConnectionStrings:Database"] = $"Data Source={_file}",
            ["Outbox:RelayEnabled"] = "false",
        });
        builder.AddServiceDefaults();
        builder.AddServiceDatabase<GuardTestModule>();
        builder.AddPermitsBus();
        _app = builder.Build();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Should_report_the_backlog_and_the_age_of_its_oldest_message()
    {
        await using (var connection = new SqliteConnection($"Data Source={_file}"))
        {
            foreach (var minutes in new[] { 10, 2 })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO outbox_messages (message_id, message_type, body, created_at) VALUES (@Id, 'T', '{}', @CreatedAt)",
                    new { Id = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-minutes) });
            }
        }

        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("permits.outbox.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "service", Value: "Guard" })
                {
                    seen[instrument.Name] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(2, seen["permits.outbox.pending"]);
        Assert.InRange(seen["permits.outbox.oldest_age"], 590, 900);
    }
}
