using System.Reflection;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Permits.LocalInfra;

namespace Permits.Security.Tests;

/// <summary>
/// Every rpc of the system, two ways that must agree: the descriptors compiled into Permits.Contracts, and the
/// <c>service</c>/<c>rpc</c> lines of the .proto files under contracts/protos. Names are "package.Service/Method".
/// </summary>
public static partial class Rpcs
{
    public static string NameOf(MethodDescriptor method) => $"{method.Service.FullName}/{method.Name}";

    /// <summary>Every method of every permits.* service compiled into Permits.Contracts.</summary>
    public static IReadOnlyDictionary<string, MethodDescriptor> Compiled() =>
        typeof(Permits.Contracts.Intake.V1.Applications).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .Where(file => file.Package.StartsWith("permits.", StringComparison.Ordinal))
            .SelectMany(file => file.Services)
            .SelectMany(service => service.Methods)
            .ToDictionary(NameOf);

    /// <summary>Every rpc declared in contracts/protos/**/v1/*.proto, read as text.</summary>
    public static IReadOnlySet<string> InProtoFiles()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var root = Path.Combine(RepoPaths.Root, "contracts", "protos");
        foreach (var file in Directory.EnumerateFiles(root, "*.proto", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "v1"))
        {
            var text = LineComment().Replace(File.ReadAllText(file), "");
            var package = Package().Match(text).Groups[1].Value;
            foreach (Match service in Service().Matches(text))
            {
                foreach (Match rpc in Rpc().Matches(Body(text, service.Index + service.Length)))
                {
                    names.Add($"{package}.{service.Groups[1].Value}/{rpc.Groups[1].Value}");
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Calls a method by its descriptor, whatever its service: unary, or the first message of a server stream.
    /// Returns OK or the status code of the refusal.
    /// </summary>
    public static async Task<(StatusCode Code, string Detail)> CallAsync(CallInvoker invoker, MethodDescriptor descriptor, IMessage request, Metadata headers)
    {
        var method = new Method<IMessage, IMessage>(
            descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
            descriptor.Service.FullName,
            descriptor.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => descriptor.InputType.Parser.ParseFrom(bytes)),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => descriptor.OutputType.Parser.ParseFrom(bytes)));
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(30));
        try
        {
            if (descriptor.IsServerStreaming)
            {
                using var stream = invoker.AsyncServerStreamingCall(method, null, options, request);
                await stream.ResponseStream.MoveNext(CancellationToken.None);
            }
            else
            {
                using var call = invoker.AsyncUnaryCall(method, null, options, request);
                await call.ResponseAsync;
            }

            return (StatusCode.OK, "");
        }
        catch (RpcException error)
        {
            return (error.StatusCode, error.Status.Detail);
        }
    }

    /// <summary>Sends bytes that need not be a valid message of the method's request type (a malformed protobuf).</summary>
    public static async Task<(StatusCode Code, string Detail)> CallRawAsync(CallInvoker invoker, MethodDescriptor descriptor, byte[] body, Metadata headers)
    {
        var method = new Method<byte[], IMessage>(
            descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
            descriptor.Service.FullName,
            descriptor.Name,
            Marshallers.Create<byte[]>(b => b, b => b),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => descriptor.OutputType.Parser.ParseFrom(bytes)));
        try
        {
            using var call = invoker.AsyncUnaryCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(30)), body);
            await call.ResponseAsync;
            return (StatusCode.OK, "");
        }
        catch (RpcException error)
        {
            return (error.StatusCode, error.Status.Detail);
        }
    }

    /// <summary>The text between the brace that opens at <paramref name="from"/> and its match.</summary>
    private static string Body(string text, int from)
    {
        var open = text.IndexOf('{', from);
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[open..i];
            }
        }

        throw new FormatException("Unbalanced braces in a .proto file.");
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"^\s*package\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Package();

    [GeneratedRegex(@"^\s*service\s+(\w+)\s*", RegexOptions.Multiline)]
    private static partial Regex Service();

    // Only the service body's own rpc lines: an option block's braces are inside the body, nothing else is named rpc.
    [GeneratedRegex(@"^\s*rpc\s+(\w+)\s*\(", RegexOptions.Multiline)]
    private static partial Regex Rpc();
}
