using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Permits.LocalInfra;
using Permits.Shared.Hosting;

namespace Permits.Shared.Tests.Hosting;

/// <summary>The console is the process's own: tests that read it run alone.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

[Collection(nameof(ConsoleCapture))]
public sealed class When_a_production_host_logs
{
    private const string ApplicationNumber = "330424-2026-LOGTEST";

    [Fact]
    public async Task Should_write_json_lines_with_utc_time_trace_and_application_number_a_line_only_for_failed_requests_and_nothing_for_health_probes()
    {
        var lines = await RunAsync();

        var hello = lines.Single(line => line.GetProperty("Category").GetString() == "Permits.LogTest");
        Assert.EndsWith("Z", hello.GetProperty("Timestamp").GetString());
        Assert.True(DateTimeOffset.TryParse(hello.GetProperty("Timestamp").GetString(), out _));
        var scopes = hello.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var id) && id.GetString()!.Trim('0').Length > 0);
        Assert.Contains(scopes, s => s.TryGetProperty(PermitsTelemetry.ApplicationNumberTag, out var n) && n.GetString() == ApplicationNumber);

        // A line for the request that failed, none for the one that went well (it is a span and a metric point), none
        // for the probes before them.
        Assert.Contains(lines, line => line.GetProperty("Message").GetString()!.StartsWith("GET /broken answered 500"));
        Assert.DoesNotContain(lines, line => line.GetProperty("Message").GetString()!.StartsWith("GET /hello answered"));
        Assert.DoesNotContain(lines, line => line.GetRawText().Contains("/health"));
    }

    private static async Task<List<JsonElement>> RunAsync()
    {
        var captured = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(captured));
        try
        {
            var url = $"http://127.0.0.1:{FreePort.Next()}";
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = url });
            builder.AddServiceDefaults();
            await using (var app = builder.Build())
            {
                app.MapServiceDefaults();
                app.MapGet("/hello", (ILoggerFactory loggers) =>
                {
                    PermitsTelemetry.ForApplication(ApplicationNumber);
                    loggers.CreateLogger("Permits.LogTest").LogInformation("hello from a case");
                    return "hello";
                });
                app.MapGet("/broken", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
                await app.StartAsync();
                using var http = new HttpClient();
                Assert.True((await http.GetAsync(url + "/health/live")).IsSuccessStatusCode);
                Assert.True((await http.GetAsync(url + "/health/ready")).IsSuccessStatusCode);
                Assert.Equal("hello", await http.GetStringAsync(url + "/hello"));
                Assert.Equal(System.Net.HttpStatusCode.InternalServerError, (await http.GetAsync(url + "/broken")).StatusCode);
                await app.StopAsync();
            }

            // Disposing the host flushed the console logger's queue.
            return captured.ToString()
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.StartsWith('{'))
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .ToList();
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
