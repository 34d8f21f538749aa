using Grpc.Core;
using Permits.Shared.Security;

namespace Permits.Delivery.Security;

/// <summary>An officer acting on shipments, from the access token only (sub, name, county).</summary>
public sealed record HallOfficer(string Subject, string Name, string CountyCode)
{
    /// <summary>For the audit and the shipment's record: 张三（o-hy-clerk）.</summary>
    public string Label => Name.Length > 0 ? $"{Name}（{Subject}）" : Subject;

    public bool ActsIn(string countyCode) => string.Equals(CountyCode, countyCode, StringComparison.Ordinal);
}

/// <summary>
/// Who is calling Delivery, from the bearer token (scheme <see cref="PermitsAuthentication.Scheme"/>, audience
/// permits-delivery), authenticated per call so it works whichever scheme is the host's default (the embedded host
/// also has the Portal's cookie). No token is the public; a token that fails validation is UNAUTHENTICATED.
/// </summary>
public static class ShipmentAccess
{
    /// <summary>The county officer roles that may hand licences over and resolve failed deliveries (not 政务公开).</summary>
    public static readonly IReadOnlyList<string> HallRoles =
        [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head];

    public static Task<CallerIdentity> CallerAsync(ServerCallContext context) => CallerIdentity.AuthenticateAsync(context);

    /// <summary>A county officer with a hall role; UNAUTHENTICATED without a token, PERMISSION_DENIED for anyone else.</summary>
    public static async Task<HallOfficer> RequireOfficerAsync(ServerCallContext context)
    {
        var caller = await CallerAsync(context);
        return RequireOfficer(caller);
    }

    public static HallOfficer RequireOfficer(CallerIdentity caller)
    {
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：调用须携带有效的工作人员访问令牌"));
        }

        if (!HallRoles.Any(caller.IsInRole) || string.IsNullOrEmpty(caller.County))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有县级烟草专卖局的工作人员可以办理送达事项"));
        }

        return new HallOfficer(caller.Subject!, caller.Name ?? "", caller.County);
    }

    public static bool IsHallOfficerOf(CallerIdentity caller, string countyCode) =>
        caller.IsAuthenticated && HallRoles.Any(caller.IsInRole) && caller.ActsIn(countyCode);

    /// <summary>The refusal an officer of another county gets (after it is audited).</summary>
    public static RpcException OtherCounty() =>
        new(new Status(StatusCode.PermissionDenied, "该许可证不属于您所在县（市、区）局，无权查看或办理"));
}
