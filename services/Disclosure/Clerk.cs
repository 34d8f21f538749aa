using Grpc.Core;
using Permits.Shared.Security;

namespace Permits.Disclosure;

/// <summary>
/// The bureau's disclosure clerk (政务公开专员, role disclosure-clerk), acting at the request desk or on the annual
/// report: who they are and their county come from the access token only.
/// </summary>
public sealed record Clerk(string Id, string Name, string CountyCode)
{
    /// <summary>Name and id, as records keep who acted (at most 100 characters).</summary>
    public string DisplayName
    {
        get
        {
            var name = string.IsNullOrWhiteSpace(Name) ? Id : $"{Name}（{Id}）";
            return name.Length > 100 ? name[..100] : name;
        }
    }

    /// <summary>The clerk calling: UNAUTHENTICATED without a token, PERMISSION_DENIED without the role and a county.</summary>
    public static Clerk From(ServerCallContext context)
    {
        var caller = CallerIdentity.From(context);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：调用须携带政务公开专员的访问令牌"));
        }

        if (!caller.IsInRole(PermitsRoles.DisclosureClerk) || caller.County is not { Length: 6 } county)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有政务公开专员（disclosure-clerk）可以办理此事项"));
        }

        return new Clerk(caller.Subject!, caller.Name ?? "", county);
    }

    /// <summary>This clerk, acting for <paramref name="countyCode"/>'s annual report: PERMISSION_DENIED for another county.</summary>
    public Clerk ForReportOf(string countyCode)
    {
        if (!string.Equals(CountyCode, countyCode.Trim(), StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"只能编制和发布本县（{CountyCode}）的年度报告，不能操作 {countyCode.Trim()}"));
        }

        return this;
    }
}
