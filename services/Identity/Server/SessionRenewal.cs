using System.Security.Claims;
using Dapper;
using OpenIddict.Abstractions;
using Permits.Identity.Features;
using Permits.Shared.Data;

namespace Permits.Identity.Server;

/// <summary>
/// The refresh token grant (the Portal renewing a person's short access token): a refresh token carries the Identity
/// session it was issued for, and is honoured only while that session is open (not signed out, not ended by the
/// 系统管理员, not past its eight hours). An officer must moreover still be active, and the renewed tokens carry the
/// roles and county the account has now, so a role change is in force at the next renewal. A shopkeeper's claims are
/// those of the sign-in, as before.
/// </summary>
public sealed class SessionRenewal(Sessions sessions, ServiceDatabase<IdentityModule> database)
{
    /// <summary>The principal to issue the renewed tokens for, or null when the renewal is refused.</summary>
    public async Task<ClaimsPrincipal?> RenewAsync(ClaimsPrincipal granted, string authenticationType, CancellationToken cancellationToken)
    {
        var sessionId = granted.FindFirst(Sessions.Claim)?.Value;
        if (!await sessions.IsActiveAsync(sessionId, cancellationToken))
        {
            return null;
        }

        if (granted.FindFirst(IdentityPrincipals.KindClaim)?.Value != IdentityPrincipals.OfficerKind)
        {
            return granted;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var officer = await connection.QuerySingleOrDefaultAsync<OfficerRow>(
            OfficerDirectory.ByIdSql, new { Id = granted.FindFirst(Shared.Security.PermitsClaims.Subject)?.Value ?? "", Username = (string?)null });
        if (officer is null)
        {
            return null;
        }

        var identity = IdentityPrincipals.Officer(officer, authenticationType);
        identity.AddClaim(new Claim(Sessions.Claim, sessionId!));
        return IdentityPrincipals.ForTokens(identity, granted.GetScopes());
    }
}
