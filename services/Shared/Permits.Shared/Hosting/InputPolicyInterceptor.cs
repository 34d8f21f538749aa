using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Permits.Shared.Domain;

namespace Permits.Shared.Hosting;

/// <summary>
/// Applies <see cref="TextPolicy"/> to every string in every request, nested messages, repeated fields and maps
/// included, before any handler runs: one policy for every rpc of every service, whichever database is behind it.
/// A refusal is INVALID_ARGUMENT with each offending field named by its path (<c>form.business_name</c>,
/// <c>materials[0].file_name</c>), so the Portal can show the message next to the field.
/// </summary>
public sealed class InputPolicyInterceptor : Interceptor
{
    /// <summary>Set on the HttpContext once a request message was read, so a failure before it can be told apart.</summary>
    public const string RequestReadItem = "permits.grpc.request-read";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request, context);
        return continuation(request, responseStream, context);
    }

    private static void Check(object request, ServerCallContext context)
    {
        context.GetHttpContext().Items[RequestReadItem] = true;
        if (request is not IMessage message)
        {
            return;
        }

        var errors = new FieldErrors();
        Walk(message, "", errors);
        errors.ThrowIfAny();
    }

    /// <summary>Adds an error for every string field of <paramref name="message"/> (recursively) that the policy refuses.</summary>
    public static void Walk(IMessage message, string prefix, FieldErrors errors)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var valueField = field.MessageType.FindFieldByNumber(2);
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    var entryPath = $"{path}[{ShortKey(entry.Key)}]";
                    CheckValue(field.MessageType.FindFieldByNumber(1), entry.Key, entryPath, errors);
                    CheckValue(valueField, entry.Value, entryPath, errors);
                }
            }
            else if (field.IsRepeated)
            {
                var index = 0;
                foreach (var item in (IList)value)
                {
                    CheckValue(field, item, $"{path}[{index++}]", errors);
                }
            }
            else
            {
                CheckValue(field, value, path, errors);
            }
        }
    }

    /// <summary>A map key as it appears in a field path: a long key would make the answer itself too long.</summary>
    private static string ShortKey(object key)
    {
        var text = Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (text.Length <= 40)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[39]) ? 39 : 40;
        return text[..cut] + "…";
    }

    private static void CheckValue(FieldDescriptor field, object? value, string path, FieldErrors errors)
    {
        switch (value)
        {
            case string text when field.FieldType == FieldType.String:
                if (TextPolicy.Check(text, TextPolicy.KindOf(field.Name)) is { } problem)
                {
                    errors.Add(path, problem);
                }

                break;
            case IMessage nested:
                Walk(nested, path + ".", errors);
                break;
        }
    }
}
