using Grpc.Core;
using Permits.Shared.Security;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The bureau's disclosure clerk (政务公开专员, role disclosure-clerk) prepares and publishes the report of their own
/// county only. The role is required by the policy on the gRPC methods; the county is checked here, from the token.
/// </summary>
public static class ClerkAccess
{
    public static Clerk Require(ServerCallContext context, string countyCode)
    {
        var caller = CallerIdentity.From(context);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：须携带政务公开专员的访问令牌"));
        }

        if (!caller.IsInRole(PermitsRoles.DisclosureClerk))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有政务公开专员（disclosure-clerk）可以编制和发布年度报告"));
        }

        if (!string.Equals(caller.County, countyCode.Trim(), StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"只能编制和发布本县（{caller.County}）的年度报告，不能操作 {countyCode.Trim()}"));
        }

        var name = string.IsNullOrWhiteSpace(caller.Name) ? caller.Subject! : $"{caller.Name}（{caller.Subject}）";
        return new Clerk(caller.Subject!, name.Length > 100 ? name[..100] : name);
    }
}

public sealed record Clerk(string Subject, string DisplayName);
