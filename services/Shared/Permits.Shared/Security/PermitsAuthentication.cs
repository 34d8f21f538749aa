using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Permits.Shared.Security;

/// <summary>
/// Bearer-token authentication for a service's gRPC and REST endpoints, with the Permits authorization policies.
/// Access tokens are JWTs issued by the Identity service; they are trusted by either
/// <list type="bullet">
/// <item><c>Identity:SigningKeys:{n}:KeyId</c> / <c>:PublicKeyPem</c> (pinned public keys, with <c>Identity:Issuer</c>):
/// no call to Identity at all, as in tests and air-gapped deployments; or</item>
/// <item><c>Identity:Authority</c>: the issuer and its current keys from OpenID Connect discovery (refreshed when an
/// unknown key id arrives, so a rotated key is picked up).</item>
/// </list>
/// A token must carry the service's audience. In the embedded host several services share one scheme, and each
/// call adds its audience to the accepted set.
/// </summary>
public static class PermitsAuthentication
{
    /// <summary>The scheme name; policies name it, so other schemes in the same host (the Portal's cookie) do not interfere.</summary>
    public const string Scheme = "PermitsBearer";

    public static WebApplicationBuilder AddPermitsAuthentication(this WebApplicationBuilder builder, string audience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);

        var audiences = FindAudiences(builder.Services);
        if (audiences is null)
        {
            audiences = new PermitsAudienceSet();
            builder.Services.AddSingleton(audiences);
            builder.Services.TryAddSingleton(sp => PermitsTokenValidator.Create(
                builder.Configuration, sp.GetRequiredService<PermitsAudienceSet>(), sp.GetService<IHttpClientFactory>()));
            builder.Services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, PermitsBearerHandler>(Scheme, _ => { });
            builder.Services.AddAuthorization(AddPolicies);
            ValidateConfiguration(builder.Configuration);
        }

        audiences.Add(audience);
        return builder;
    }

    /// <summary>The Permits policies: one per role, <c>officer</c> (any officer role and a county), <c>platform</c> (with a province).</summary>
    public static void AddPolicies(AuthorizationOptions options)
    {
        AuthorizationPolicyBuilder Policy() => new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser();

        options.AddPolicy(PermitsPolicies.Applicant, Policy()
            .RequireClaim(PermitsClaims.Role, PermitsRoles.Applicant)
            .RequireClaim(PermitsClaims.PhoneNumber).Build());
        options.AddPolicy(PermitsPolicies.Officer, Policy()
            .RequireClaim(PermitsClaims.Role, PermitsRoles.Officer)
            .RequireClaim(PermitsClaims.County).Build());
        foreach (var role in PermitsRoles.Officer)
        {
            options.AddPolicy(role, Policy()
                .RequireClaim(PermitsClaims.Role, role)
                .RequireClaim(PermitsClaims.County).Build());
        }

        options.AddPolicy(PermitsPolicies.Platform, Policy()
            .RequireClaim(PermitsClaims.Role, PermitsRoles.Platform)
            .RequireClaim(PermitsClaims.Province).Build());
    }

    private static PermitsAudienceSet? FindAudiences(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(PermitsAudienceSet))?.ImplementationInstance as PermitsAudienceSet;

    /// <summary>Fails at start-up, not at the first call, when neither way to trust tokens is configured.</summary>
    private static void ValidateConfiguration(IConfiguration configuration)
    {
        var pinned = configuration.GetSection("Identity:SigningKeys").GetChildren().Any();
        if (!pinned && string.IsNullOrWhiteSpace(configuration["Identity:Authority"]))
        {
            throw new InvalidOperationException(
                "Token validation needs Identity:Authority (the Identity service's URL) or pinned keys in " +
                "Identity:SigningKeys:{n}:KeyId and :PublicKeyPem with Identity:Issuer.");
        }
    }
}

/// <summary>The audiences this host's APIs accept (one per service hosted here).</summary>
public sealed class PermitsAudienceSet
{
    private readonly Lock _lock = new();
    private string[] _audiences = [];

    public IReadOnlyList<string> Audiences => _audiences;

    public void Add(string audience)
    {
        lock (_lock)
        {
            if (!_audiences.Contains(audience, StringComparer.Ordinal))
            {
                _audiences = [.. _audiences, audience];
            }
        }
    }
}
