using Grpc.Core;
using Permits.Shared.Security;

namespace Permits.Shared.Steps;

/// <summary>
/// A county officer acting: who they are, their roles and their county, from the validated access token only (never
/// the request), and where the call came from for the audit. The one caller type of every officer step in every
/// service; <see cref="OfficerGuard"/> decides what they may do.
/// </summary>
/// <param name="Id">The token's subject (o-hy-clerk).</param>
/// <param name="Roles">The officer roles of <see cref="PermitsRoles.Officer"/> the token carries.</param>
/// <param name="CountyCode">Six-digit division code of the bureau they work for.</param>
public sealed record Officer(string Id, string Name, IReadOnlySet<string> Roles, string CountyCode, string PeerAddress = "")
{
    /// <summary>For records and documents: 张三（o-hy-clerk）, or the id alone when the token has no name.</summary>
    public string Label => Name.Length > 0 ? $"{Name}（{Id}）" : Id;

    public bool ActsIn(string countyCode) => string.Equals(CountyCode, countyCode, StringComparison.Ordinal);

    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>The role this officer acts in for <paramref name="step"/>: the first of its roles they hold, else their first role.</summary>
    public string RoleFor(OfficerStep step) =>
        step.Roles.FirstOrDefault(Roles.Contains) ?? PermitsRoles.Officer.FirstOrDefault(Roles.Contains) ?? "unknown";

    /// <summary>
    /// The officer calling, authenticated per call (so it works whichever scheme is the host's default):
    /// UNAUTHENTICATED without a valid token, PERMISSION_DENIED for a caller who is not a county officer.
    /// </summary>
    public static async Task<Officer> FromAsync(ServerCallContext call) =>
        From(await CallerIdentity.AuthenticateAsync(call), call.Peer ?? "");

    /// <summary>The officer behind <paramref name="caller"/>; the same refusals as <see cref="FromAsync"/>.</summary>
    public static Officer From(CallerIdentity caller, string peerAddress = "") =>
        TryFrom(caller, peerAddress) ?? throw (caller.IsAuthenticated
            ? new RpcException(new Status(StatusCode.PermissionDenied, "只有县级烟草专卖局的工作人员可以办理此事项"))
            : new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：调用须携带有效的工作人员访问令牌")));

    /// <summary>The officer behind <paramref name="caller"/>, or null for anyone who is not an officer of a county.</summary>
    public static Officer? TryFrom(CallerIdentity caller, string peerAddress = "")
    {
        if (!caller.IsAuthenticated || !caller.IsOfficer || caller.County is not { Length: 6 } county)
        {
            return null;
        }

        var roles = PermitsRoles.Officer.Where(caller.IsInRole).ToHashSet(StringComparer.Ordinal);
        return new Officer(caller.Subject!, caller.Name ?? "", roles, county, peerAddress);
    }
}
