using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Permits.LocalInfra;
using Permits.Shared.Messaging;

namespace Permits.Testing;

/// <summary>
/// What a journey system shows when a journey did not arrive: where messages wait (the broker's queues, each service's
/// outbox and its dead letters), and what the services logged about it (their warnings and errors, and every line
/// naming the applications that did not arrive). A failed run on CI is otherwise only a timeout: the services' logs
/// stay on the machine that ran it.
/// </summary>
public static partial class SystemDiagnosis
{
    /// <summary>Lines of a service's log at Warning or above, the last this many.</summary>
    private const int WarningsPerService = 25;

    /// <summary>Lines of a service's log naming an application that did not arrive, the last this many.</summary>
    private const int MentionsPerService = 40;

    /// <summary>Log lines every start or restart writes, which say nothing about a lost message.</summary>
    private static readonly string[] Noise =
    [
        "No XML encryptor configured",
        "Not ready: not started",
        "HTTP/2 is not enabled",
    ];

    /// <summary>
    /// The application id and number (330421-20261207-00015) each failure's message names first (a journey's timeout names
    /// the application, then shows it: its materials' ids come later).
    /// </summary>
    public static IReadOnlyCollection<string> ApplicationsNamedIn(IEnumerable<Exception> failures) =>
    [
        .. failures
            .SelectMany(f => ApplicationReference().Matches(f.Message).Take(3))
            .Select(m => m.Value)
            .Distinct()
            .Take(20),
    ];

    [GeneratedRegex(@"\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{6}-\d{8}-\d{5})\b")]
    private static partial Regex ApplicationReference();

    /// <summary>Describes the system; never throws (a part it cannot read says why instead).</summary>
    public static async Task<string> DescribeAsync(JourneySystem system, IReadOnlyCollection<string> mentions)
    {
        var text = new StringBuilder();
        text.AppendLine("--- diagnosis: queues holding messages, or without a consumer");
        await Part(text, async () =>
        {
            var queues = await system.RabbitMq.BusyQueuesAsync();
            return queues.Count == 0 ? ["(none)"] : queues;
        });

        text.AppendLine("--- diagnosis: outboxes (unsent, oldest unsent, dead letters)");
        foreach (var service in JourneySystem.Databases)
        {
            await Part(text, async () =>
            {
                await using var connection = system.OpenDatabase(service);
                var status = await connection.QuerySingleAsync<OutboxStatus>(OutboxSql.StatusSql);
                return [$"{service}: {status.Pending} unsent, oldest {status.OldestPendingAt?.ToString("O") ?? "-"}, {status.DeadLetters} dead letters"];
            });
        }

        foreach (var service in DistributedSystem.BackEndServices.Append(DistributedSystem.Portal))
        {
            var path = Path.Combine(system.System.LogDirectory, $"{service}.log");
            await Part(text, async () =>
            {
                var warnings = new Queue<string>();
                var named = new Queue<string>();
                foreach (var line in await File.ReadAllLinesAsync(path))
                {
                    if (mentions.Any(m => line.Contains(m, StringComparison.Ordinal)))
                    {
                        Keep(named, Shorten(line), MentionsPerService);
                    }
                    else if (IsWarning(line) && !Noise.Any(n => line.Contains(n, StringComparison.Ordinal)))
                    {
                        Keep(warnings, Shorten(line), WarningsPerService);
                    }
                }

                return [$"--- diagnosis: {service}.log, warnings and errors", .. warnings, $"--- diagnosis: {service}.log, naming the applications", .. named];
            });
        }

        return text.ToString();
    }

    private sealed class OutboxStatus
    {
        public long Pending { get; init; }

        public DateTimeOffset? OldestPendingAt { get; init; }

        public long DeadLetters { get; init; }
    }

    private static async Task Part(StringBuilder text, Func<Task<IReadOnlyList<string>>> lines)
    {
        try
        {
            foreach (var line in await lines())
            {
                text.AppendLine(line);
            }
        }
        catch (Exception e)
        {
            text.AppendLine($"(not read: {e.GetType().Name}: {e.Message})");
        }
    }

    private static void Keep(Queue<string> lines, string line, int most)
    {
        lines.Enqueue(line);
        if (lines.Count > most)
        {
            lines.Dequeue();
        }
    }

    private static bool IsWarning(string line) =>
        line.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal)
        || line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
        || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal);

    /// <summary>A JSON log line as time, level, category and message (with the exception's first line); other lines as they are.</summary>
    private static string Shorten(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var text = $"{Field(root, "Timestamp")} {Field(root, "LogLevel")} {Field(root, "Category")}: {Field(root, "Message")}";
            if (Field(root, "Exception") is { Length: > 0 } exception)
            {
                text += " | " + exception.Split('\n', 2)[0];
            }

            return text.Length <= 700 ? text : text[..700] + "…";
        }
        catch (JsonException)
        {
            return line.Length <= 700 ? line : line[..700] + "…";
        }
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
