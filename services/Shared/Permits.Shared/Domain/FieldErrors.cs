using Google.Rpc;
using Grpc.Core;

namespace Permits.Shared.Domain;

/// <summary>
/// Collects what is wrong with a request, field by field, and reports it all at once as INVALID_ARGUMENT with
/// google.rpc.BadRequest details, so a client can put each message next to its field.
/// </summary>
public sealed class FieldErrors
{
    /// <summary>
    /// At most this many violations travel: the status rides in HTTP/2 headers, which clients cap (64 KB in .NET), so
    /// a request with thousands of bad items must still get a readable answer rather than a broken connection.
    /// </summary>
    public const int MaxReported = 20;

    private readonly List<(string Field, string Message)> _errors = [];

    public bool Any => _errors.Count > 0;

    public IReadOnlyList<(string Field, string Message)> Items => _errors;

    public FieldErrors Add(string field, string message)
    {
        _errors.Add((field, message));
        return this;
    }

    public void ThrowIfAny()
    {
        if (!Any)
        {
            return;
        }

        var reported = _errors.Take(MaxReported).ToList();
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(reported.Select(e => new BadRequest.Types.FieldViolation
        {
            Field = e.Field,
            Description = e.Message,
        }));
        var message = string.Join("; ", reported.Select(e => $"{e.Field}: {e.Message}"));
        if (_errors.Count > reported.Count)
        {
            message += $"; 另有 {_errors.Count - reported.Count} 处错误 (and {_errors.Count - reported.Count} more)";
        }

        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        };
        throw status.ToRpcException();
    }
}
