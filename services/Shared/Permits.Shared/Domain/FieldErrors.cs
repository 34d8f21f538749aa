using Google.Rpc;
using Grpc.Core;

namespace Permits.Shared.Domain;

/// <summary>
/// Collects what is wrong with a request, field by field, and reports it all at once as INVALID_ARGUMENT with
/// google.rpc.BadRequest details, so a client can put each message next to its field.
/// </summary>
public sealed class FieldErrors
{
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

        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(_errors.Select(e => new BadRequest.Types.FieldViolation
        {
            Field = e.Field,
            Description = e.Message,
        }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = string.Join("; ", _errors.Select(e => $"{e.Field}: {e.Message}")),
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        };
        throw status.ToRpcException();
    }
}
