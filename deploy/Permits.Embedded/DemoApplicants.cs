using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Permits.Identity.Features;
using Permits.Identity.Server;
using Permits.Shared.Security;

namespace Permits.Embedded;

/// <summary>
/// A demo shopkeeper's access token, as Identity would issue it after an SMS sign-in (same issuer, key, subject and
/// claims), made in-process for the demo data: submitting needs a signed-in shopkeeper in every mode, and the demo
/// applications belong to the demo numbers, so signing in with one of them shows its applications as one's own.
/// Only the embedded host has this; it holds Identity's keys anyway.
/// </summary>
public static class DemoApplicants
{
    public static async Task<Metadata> HeadersAsync(IServiceProvider services, string phoneNumber, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var subject = await services.GetRequiredService<Applicants>().SubjectForAsync(phoneNumber, cancellationToken);
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = new Uri(configuration["Identity:Issuer"]!).AbsoluteUri,
            Audiences = { PermitsAudiences.Intake },
            TokenType = "at+jwt",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(IdentityKeys.Load(configuration).Signing, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [PermitsClaims.Subject] = subject,
                [PermitsClaims.Name] = $"手机尾号 {phoneNumber[^4..]} 的用户",
                [PermitsClaims.Role] = PermitsRoles.Applicant,
                [PermitsClaims.PhoneNumber] = phoneNumber,
                [PermitsClaims.Scope] = PermitsScopes.Api,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        });
        return new Metadata { { "Authorization", "Bearer " + token } };
    }
}
