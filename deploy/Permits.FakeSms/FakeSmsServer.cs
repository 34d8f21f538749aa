using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Permits.FakeSms;

/// <summary>
/// A fake SMS gateway with a real HTTP API: <c>POST /api/v1/messages {phone, text, clientMessageId?}</c> "sends" a
/// message (202), once per client message id as real gateways do (the same id again answers with the first message);
/// <c>GET /api/v1/messages?phone=…</c> lists what was sent, newest first, so a developer or a browser test can read a
/// one-time code. State lives in memory. <see cref="Build"/> returns an unstarted application, so a process may host
/// it in-process (<c>await app.StartAsync()</c>) or on its own (<c>Run()</c>).
/// </summary>
public static class FakeSmsServer
{
    public static WebApplication Build(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeSmsServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // A third party shares nothing with whoever hosts it: drop the host's configuration and listen only where told.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1));
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Outbox>();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapPost("/api/v1/messages", SendAsync);
        app.MapGet("/api/v1/messages", (string? phone, Outbox outbox) => Results.Ok(outbox.List(phone)));
        return app;
    }

    private static async Task<IResult> SendAsync(HttpRequest http, Outbox outbox, CancellationToken cancellationToken)
    {
        MessageRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync<MessageRequest>(cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON message {phone, text}");
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.Phone) || request.Phone.Length > 20)
        {
            errors["phone"] = ["is required (at most 20 characters)"];
        }

        if (string.IsNullOrWhiteSpace(request?.Text) || request.Text.Length > 500)
        {
            errors["text"] = ["is required (at most 500 characters)"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The message is incomplete");
        }

        if (request!.ClientMessageId is { Length: > 64 })
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["clientMessageId"] = ["is at most 64 characters"] }, title: "The message is incomplete");
        }

        var message = outbox.Add(request.Phone!.Trim(), request.Text!, request.ClientMessageId);
        return Results.Accepted($"/api/v1/messages?phone={Uri.EscapeDataString(message.Phone)}", message);
    }

    /// <summary>POST /api/v1/messages body; <paramref name="ClientMessageId"/> optional (sign-in codes carry none).</summary>
    public sealed record MessageRequest(string? Phone, string? Text, string? ClientMessageId = null);

    /// <summary>A message as "sent".</summary>
    public sealed record SentMessage(string Id, string Phone, string Text, DateTimeOffset SentAt);

    /// <summary>What was sent, in memory, bounded so a long-running demo does not grow without end.</summary>
    public sealed class Outbox(TimeProvider time)
    {
        private const int Capacity = 10_000;

        private readonly Lock _lock = new();
        private readonly LinkedList<(SentMessage Message, string? ClientId)> _messages = new();
        private readonly Dictionary<string, SentMessage> _byClientId = new(StringComparer.Ordinal);

        /// <summary>
        /// Each number's messages, newest first: a test asks for one number's sign-in code again and again, and walking
        /// every message kept for it made the fake gateway's CPU grow with the run (the journey bench counts it).
        /// </summary>
        private readonly Dictionary<string, LinkedList<SentMessage>> _byPhone = new(StringComparer.Ordinal);

        /// <summary>Sends a message, or returns the one already sent under <paramref name="clientMessageId"/>.</summary>
        public SentMessage Add(string phone, string text, string? clientMessageId = null)
        {
            lock (_lock)
            {
                if (clientMessageId is not null && _byClientId.TryGetValue(clientMessageId, out var earlier))
                {
                    return earlier;
                }

                var message = new SentMessage(Guid.NewGuid().ToString("N"), phone, text, time.GetUtcNow());
                _messages.AddFirst((message, clientMessageId));
                if (!_byPhone.TryGetValue(phone, out var ofPhone))
                {
                    _byPhone[phone] = ofPhone = new LinkedList<SentMessage>();
                }

                ofPhone.AddFirst(message);
                if (clientMessageId is not null)
                {
                    _byClientId[clientMessageId] = message;
                }

                if (_messages.Count > Capacity)
                {
                    if (_messages.Last!.Value.ClientId is { } forgotten)
                    {
                        _byClientId.Remove(forgotten);
                    }

                    // The oldest message overall is its number's oldest too.
                    var oldest = _messages.Last.Value.Message;
                    var itsPhone = _byPhone[oldest.Phone];
                    itsPhone.RemoveLast();
                    if (itsPhone.Count == 0)
                    {
                        _byPhone.Remove(oldest.Phone);
                    }

                    _messages.RemoveLast();
                }

                return message;
            }
        }

        public IReadOnlyList<SentMessage> List(string? phone)
        {
            lock (_lock)
            {
                if (string.IsNullOrWhiteSpace(phone))
                {
                    return _messages.Select(m => m.Message).Take(100).ToList();
                }

                return _byPhone.TryGetValue(phone.Trim(), out var ofPhone) ? ofPhone.Take(100).ToList() : [];
            }
        }
    }
}
