using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Permits.Shared.Security;

/// <summary>
/// Who is calling, read from the validated access token: the subject, display name, roles, and the scope of their
/// authority (an officer's county, a platform's province). <see cref="Anonymous"/> when no token was presented.
/// </summary>
public sealed record CallerIdentity(
    string? Subject,
    string? Name,
    IReadOnlySet<string> Roles,
    string? County,
    string? Province,
    string? PhoneNumber,
    IReadOnlySet<string> Scopes)
{
    public static readonly CallerIdentity Anonymous =
        new(null, null, new HashSet<string>(StringComparer.Ordinal), null, null, null, new HashSet<string>(StringComparer.Ordinal));

    public bool IsAuthenticated => Subject is not null;

    public bool IsOfficer => PermitsRoles.Officer.Any(Roles.Contains);

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>An officer acting within their own county.</summary>
    public bool ActsIn(string countyCode) => IsOfficer && County is not null && string.Equals(County, countyCode, StringComparison.Ordinal);

    public static CallerIdentity From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        string? First(string type) => user.FindFirst(type)?.Value;
        return new CallerIdentity(
            First(PermitsClaims.Subject),
            First(PermitsClaims.Name),
            user.FindAll(PermitsClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            First(PermitsClaims.County),
            First(PermitsClaims.Province),
            First(PermitsClaims.PhoneNumber),
            // RFC 9068: one space-separated "scope" claim; tolerate one claim per scope too.
            user.FindAll(PermitsClaims.Scope)
                .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .ToHashSet(StringComparer.Ordinal));
    }

    public static CallerIdentity From(HttpContext context) => From(context.User);

    public static CallerIdentity From(ServerCallContext context) => From(context.GetHttpContext().User);

    /// <summary>
    /// The caller of a gRPC call, from its bearer token (<see cref="PermitsAuthentication.Scheme"/>), authenticated here
    /// per call: it works whether or not the host runs the authentication middleware and whichever scheme is the
    /// host's default (the embedded host also has the Portal's cookie). No token: <see cref="Anonymous"/>; a token
    /// that fails validation: UNAUTHENTICATED.
    /// </summary>
    public static async Task<CallerIdentity> AuthenticateAsync(ServerCallContext context)
    {
        var result = await context.GetHttpContext().AuthenticateAsync(PermitsAuthentication.Scheme);
        if (result.Failure is not null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "登录已失效，请重新登录"));
        }

        return From(result.Principal);
    }
}
