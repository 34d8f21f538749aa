using Grpc.Core;

namespace Permits.Portal.Web;

/// <summary>What a failed call to a service means for the page that made it; every form page answers each kind alike.</summary>
public enum CallFailure
{
    /// <summary>UNAUTHENTICATED: the sign-in is gone; send the person to sign in and back.</summary>
    SignIn,

    /// <summary>INVALID_ARGUMENT: messages per field, shown next to each field and in the summary.</summary>
    Fields,

    /// <summary>FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED: the step is not possible now; the service's words say why.</summary>
    Refused,

    /// <summary>NOT_FOUND, PERMISSION_DENIED: the thing asked for is not this person's (or not there).</summary>
    NotFound,

    /// <summary>UNAVAILABLE, DEADLINE_EXCEEDED: try again later; nothing the person did.</summary>
    Unavailable,

    /// <summary>Anything else: a fault the person cannot cause (logged).</summary>
    Failed,
}

public static class CallFailures
{
    public static CallFailure Of(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unauthenticated => CallFailure.SignIn,
        StatusCode.InvalidArgument => CallFailure.Fields,
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.Aborted => CallFailure.Refused,
        StatusCode.NotFound or StatusCode.PermissionDenied => CallFailure.NotFound,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => CallFailure.Unavailable,
        _ => CallFailure.Failed,
    };
}
