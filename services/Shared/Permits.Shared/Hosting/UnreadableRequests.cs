using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;

namespace Permits.Shared.Hosting;

/// <summary>
/// A request that cannot even be read is the caller's error, not ours. gRPC answers malformed protobuf with UNKNOWN
/// and JSON transcoding answers an out-of-range number with .NET's own text ("Value was either too large…"), both
/// before any interceptor runs. This middleware turns both into INVALID_ARGUMENT in our words, naming the field
/// where it can be found. "Before any interceptor" is told by <see cref="InputPolicyInterceptor.RequestReadItem"/>.
/// </summary>
public static class UnreadableRequests
{
    private const string Unreadable = "请求无法解析，请检查请求格式 (the request message could not be read)";

    public static WebApplication UseUnreadableRequestAnswers(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } transcoding)
            {
                await TranscodedAsync(context, next, transcoding);
                return;
            }

            if (endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
            {
                // Trailers-only answer: the status is in the headers until they are sent.
                context.Response.OnStarting(() =>
                {
                    if (!context.Items.ContainsKey(InputPolicyInterceptor.RequestReadItem)
                        && context.Response.Headers["grpc-status"] == "2")
                    {
                        context.Response.Headers["grpc-status"] = "3";
                        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(Unreadable);
                    }

                    return Task.CompletedTask;
                });
            }

            await next(context);
        });
        return app;
    }

    private static async Task TranscodedAsync(HttpContext context, RequestDelegate next, GrpcJsonTranscodingMetadata transcoding)
    {
        context.Request.EnableBuffering();
        var original = context.Response.Body;
        await using var capture = new ErrorCapture(original, context);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (!capture.Captured)
        {
            return;
        }

        if (context.Items.ContainsKey(InputPolicyInterceptor.RequestReadItem))
        {
            await capture.ReplayAsync();  // an answer of ours: it already says what is wrong
            return;
        }

        var (field, message) = await FindUnreadableFieldAsync(context, transcoding);
        var status = new Google.Rpc.Status { Code = (int)Grpc.Core.StatusCode.InvalidArgument, Message = Unreadable };
        if (field is not null)
        {
            var badRequest = new Google.Rpc.BadRequest();
            badRequest.FieldViolations.Add(new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = message });
            status.Message = $"{field}: {message}";
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(badRequest));
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = null;
        var formatter = new Google.Protobuf.JsonFormatter(new Google.Protobuf.JsonFormatter.Settings(false,
            Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor)));
        await context.Response.WriteAsync(formatter.Format(status));
    }

    /// <summary>The first query parameter or body value that does not fit its field, with what is wrong with it.</summary>
    private static async Task<(string? Field, string Message)> FindUnreadableFieldAsync(
        HttpContext context, GrpcJsonTranscodingMetadata transcoding)
    {
        var input = transcoding.MethodDescriptor.InputType;
        foreach (var (key, values) in context.Request.Query)
        {
            if (Resolve(input, key) is not { } field)
            {
                return (key, "不是此接口的参数");
            }

            foreach (var value in values)
            {
                if (value is not null && !FitsScalar(field, value))
                {
                    return (key, Expected(field));
                }
            }
        }

        if (context.Request.ContentLength is 0 || !context.Request.Body.CanSeek)
        {
            return (null, "");
        }

        context.Request.Body.Position = 0;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
            return (null, "");
        }

        using (document)
        {
            var body = transcoding.HttpRule.Body;
            if (body is "" or "*")
            {
                return Walk(input, document.RootElement, "") ?? (null, "");
            }

            return Resolve(input, body) is { } bodyField
                ? CheckValue(bodyField, document.RootElement, body) ?? (null, "")
                : (null, "");
        }
    }

    private static (string?, string)? Walk(MessageDescriptor descriptor, JsonElement element, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (prefix.TrimEnd('.') is { Length: > 0 } path ? path : null, "应为 JSON 对象");
        }

        if (descriptor.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal))
        {
            return null;  // well-known types have JSON forms of their own
        }

        foreach (var property in element.EnumerateObject())
        {
            var path = prefix + property.Name;
            var field = descriptor.FindFieldByName(property.Name)
                ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name);
            if (field is null)
            {
                return (path, "不是此接口的字段");
            }

            if (CheckValue(field, property.Value, path) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static (string?, string)? CheckValue(FieldDescriptor field, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (field.IsMap)
        {
            return value.ValueKind == JsonValueKind.Object ? null : (path, "应为 JSON 对象");
        }

        if (field.IsRepeated)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return (path, "应为 JSON 数组");
            }

            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (CheckSingle(field, item, $"{path}[{index++}]") is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        return CheckSingle(field, value, path);
    }

    private static (string?, string)? CheckSingle(FieldDescriptor field, JsonElement value, string path)
    {
        if (field.FieldType is FieldType.Message or FieldType.Group)
        {
            return Walk(field.MessageType, value, path + ".");
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String when field.FieldType is not FieldType.Bool => value.GetString(),
            JsonValueKind.Number when field.FieldType is not (FieldType.String or FieldType.Bytes) => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False when field.FieldType is FieldType.Bool => value.GetRawText(),
            _ => null,
        };
        return text is not null && FitsScalar(field, text) ? null : (path, Expected(field));
    }

    private static FieldDescriptor? Resolve(MessageDescriptor descriptor, string dottedPath)
    {
        FieldDescriptor? field = null;
        foreach (var part in dottedPath.Split('.'))
        {
            if (field is not null)
            {
                if (field.FieldType != FieldType.Message)
                {
                    return null;
                }

                descriptor = field.MessageType;
            }

            field = descriptor.FindFieldByName(part)
                ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part);
            if (field is null)
            {
                return null;
            }
        }

        return field;
    }

    private static bool FitsScalar(FieldDescriptor field, string text)
    {
        var number = NumberStyles.AllowLeadingSign;
        var real = NumberStyles.Float;
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, number, invariant, out _),
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, NumberStyles.None, invariant, out _),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, number, invariant, out _),
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, NumberStyles.None, invariant, out _),
            FieldType.Double => double.TryParse(text, real, invariant, out _) || text is "NaN" or "Infinity" or "-Infinity",
            FieldType.Float => float.TryParse(text, real, invariant, out var f) && float.IsFinite(f) || text is "NaN" or "Infinity" or "-Infinity",
            FieldType.Bool => text is "true" or "false",
            FieldType.Enum => field.EnumType.FindValueByName(text) is not null
                || int.TryParse(text, number, invariant, out var n) && field.EnumType.FindValueByNumber(n) is not null,
            FieldType.Bytes => IsBase64(text),
            FieldType.Message => true,  // nested messages in a query string: checked by their own leaf keys
            _ => true,
        };
    }

    private static bool IsBase64(string text)
    {
        var normalized = text.Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + (4 - normalized.Length % 4) % 4, '=');
        return Convert.TryFromBase64String(normalized, new byte[normalized.Length], out _);
    }

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => $"应为 {int.MinValue}–{int.MaxValue} 之间的整数",
        FieldType.UInt32 or FieldType.Fixed32 => $"应为 0–{uint.MaxValue} 之间的整数",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "应为 64 位整数",
        FieldType.UInt64 or FieldType.Fixed64 => "应为不小于 0 的 64 位整数",
        FieldType.Double or FieldType.Float => "应为数字",
        FieldType.Bool => "应为 true 或 false",
        FieldType.Enum => $"应为 {string.Join("、", field.EnumType.Values.Select(v => v.Name))} 之一",
        FieldType.Bytes => "应为 base64 编码的内容",
        _ => "应为字符串",
    };

    /// <summary>Passes a successful answer straight through; keeps an error answer so it can be reworded.</summary>
    private sealed class ErrorCapture(Stream inner, HttpContext context) : Stream
    {
        private readonly MemoryStream _buffer = new();
        private bool? _capturing;

        public bool Captured => _capturing ?? context.Response.StatusCode >= 400;

        private Stream Target => (_capturing ??= context.Response.StatusCode >= 400) ? _buffer : inner;

        public async Task ReplayAsync()
        {
            _buffer.Position = 0;
            await _buffer.CopyToAsync(inner);
        }

        public override void Write(byte[] buffer, int offset, int count) => Target.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Target.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Target.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            _capturing == true ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

        public override void Flush()
        {
            if (_capturing != true)
            {
                inner.Flush();
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _buffer.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
