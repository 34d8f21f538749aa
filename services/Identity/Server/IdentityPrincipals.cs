using System.Security.Claims;
using OpenIddict.Abstractions;
using Permits.Identity.Features;
using Permits.Shared.Security;

namespace Permits.Identity.Server;

/// <summary>Builds the claims of each kind of caller, by the contract in <see cref="PermitsClaims"/>.</summary>
public static class IdentityPrincipals
{
    /// <summary>The sign-in session cookie of the Identity service itself (not the Portal's).</summary>
    public const string SessionScheme = "Permits.Identity.Session";

    /// <summary>Which sign-in made the session: <c>applicant</c> or <c>officer</c> (asked for with acr_values).</summary>
    public const string KindClaim = "permits_kind";

    public const string ApplicantKind = "applicant";
    public const string OfficerKind = "officer";

    public static ClaimsIdentity Applicant(string subject, string phoneNumber, string authenticationType) =>
        Identity(authenticationType,
            (PermitsClaims.Subject, subject),
            (PermitsClaims.Name, $"手机尾号 {phoneNumber[^4..]} 的用户"),
            (PermitsClaims.Role, PermitsRoles.Applicant),
            (PermitsClaims.PhoneNumber, phoneNumber),
            (KindClaim, ApplicantKind));

    public static ClaimsIdentity Officer(OfficerRow officer, string authenticationType) =>
        Identity(authenticationType,
            new[]
            {
                (PermitsClaims.Subject, officer.Subject),
                (PermitsClaims.Name, officer.DisplayName),
                (PermitsClaims.County, officer.CountyCode),
                (KindClaim, OfficerKind),
            }.Concat(officer.RoleList.Select(role => (PermitsClaims.Role, role))).ToArray());

    public static ClaimsIdentity Platform(ClientSettings client, string authenticationType) =>
        Identity(authenticationType,
            (PermitsClaims.Subject, client.ClientId),
            (PermitsClaims.Name, client.Name ?? client.ClientId),
            (PermitsClaims.Role, PermitsRoles.Platform),
            (PermitsClaims.Province, client.Province ?? ""));

    /// <summary>
    /// Prepares a principal for OpenIddict: scopes as granted, the audiences (resources) they open, and where each
    /// claim goes (access token for the APIs, identity token for the Portal; the session id only to the Portal, the
    /// session kind nowhere).
    /// </summary>
    public static ClaimsPrincipal ForTokens(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        var granted = scopes.ToList();
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(granted);
        principal.SetResources(Audiences(granted));
        foreach (var claim in identity.Claims)
        {
            claim.SetDestinations(claim.Type switch
            {
                KindClaim => [],
                Sessions.Claim => [OpenIddictConstants.Destinations.IdentityToken],
                _ => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
            });
        }

        return principal;
    }

    private static IEnumerable<string> Audiences(IReadOnlyCollection<string> scopes)
    {
        if (scopes.Contains(PermitsScopes.Api))
        {
            return PermitsAudiences.All;
        }

        return scopes.Contains(PermitsScopes.DisclosureRead) ? [PermitsAudiences.Disclosure] : [];
    }

    private static ClaimsIdentity Identity(string authenticationType, params (string Type, string Value)[] claims)
    {
        var identity = new ClaimsIdentity(authenticationType, PermitsClaims.Name, PermitsClaims.Role);
        foreach (var (type, value) in claims)
        {
            identity.AddClaim(new Claim(type, value));
        }

        return identity;
    }
}
