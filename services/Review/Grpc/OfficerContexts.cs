using Grpc.Core;
using Permits.Review.Domain;
using Permits.Shared.Security;

namespace Permits.Review.Grpc;

/// <summary>
/// The one place that decides who is calling: the validated access token's claims (sub, name, role, county), never
/// the request. The request's deprecated officer fields are ignored. A token with several officer roles acts in the
/// role that permits the action, if any (the pure <see cref="ReviewPolicy"/> then decides, county included).
/// </summary>
public sealed class OfficerContexts
{
    /// <summary>The officer acting; UNAUTHENTICATED when the call carries no valid token.</summary>
    public OfficerContext From(ServerCallContext call, ReviewAction action)
    {
        var caller = CallerIdentity.From(call);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：调用须携带有效的工作人员访问令牌"));
        }

        var roles = caller.Roles
            .Select(r => OfficerContext.TryParseRole(r, out var parsed) ? parsed : (OfficerRole?)null)
            .OfType<OfficerRole>()
            .OrderBy(r => r)
            .ToList();
        var permitting = ReviewPolicy.RolesFor(action);
        OfficerRole? role = roles.Count == 0 ? null : roles.FirstOrDefault(permitting.Contains, roles[0]);
        return new OfficerContext(caller.Subject!, caller.Name ?? "", role, caller.County ?? "", call.Peer ?? "");
    }
}
