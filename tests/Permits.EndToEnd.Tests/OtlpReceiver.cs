using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Permits.LocalInfra;

namespace Permits.EndToEnd.Tests;

/// <summary>One span as an OTLP collector received it.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// The smallest OTLP/HTTP receiver: <c>POST /v1/traces</c> with an ExportTraceServiceRequest in protobuf, read field
/// by field with Google.Protobuf's wire reader (resource → scope → span → attributes), everything else acknowledged.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private WebApplication _app = null!;

    public string Url { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToList();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(receiver.Url);
        builder.Logging.ClearProviders();
        receiver._app = builder.Build();
        receiver._app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in Read(body.ToArray()))
            {
                receiver._spans.Enqueue(span);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        receiver._app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        await receiver._app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.resource = 1, .scope_spans = 2; Resource.attributes = 1;
    // ScopeSpans.scope = 1 (InstrumentationScope.name = 1), .spans = 2; Span.trace_id = 1, .name = 5, .attributes = 9.
    private static IEnumerable<ReceivedSpan> Read(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            var resource = Fields(resourceSpans, 1).FirstOrDefault() ?? [];
            var service = Attributes(resource, 1).GetValueOrDefault("service.name", "");
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = Fields(scopeSpans, 1).Select(s => Text(Fields(s, 1).FirstOrDefault())).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return new ReceivedSpan(service, scope, Convert.ToHexStringLower(Fields(span, 1).FirstOrDefault() ?? []),
                        Text(Fields(span, 5).FirstOrDefault()), Attributes(span, 9));
                }
            }
        }
    }

    /// <summary>KeyValue.key = 1, .value = 2 (AnyValue.string_value = 1, .int_value = 3).</summary>
    private static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var pair in Fields(message, field))
        {
            var value = Fields(pair, 2).FirstOrDefault() ?? [];
            attributes[Text(Fields(pair, 1).FirstOrDefault())] = Text(Fields(value, 1).FirstOrDefault());
        }

        return attributes;
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The length-delimited values of one field number, skipping every other field.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}
