using Microsoft.AspNetCore.Authentication.Cookies;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Permits.Identity.Features;
using Permits.Identity.Server;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Permits.Identity;

/// <summary>
/// Who is who (统一身份认证): an OpenID Connect / OAuth2 server for shopkeepers (mobile number + SMS code), county
/// officers (username + password, roles and county) and provincial platforms (client credentials, province).
/// OpenIddict in degraded mode: clients from configuration, people in our own tables, codes self-contained and
/// encrypted, access tokens signed JWTs that every service validates on its own; the Portal's are short and renewed by
/// refresh tokens that end with the sign-in session.
/// </summary>
public sealed class IdentityModule : IServiceModule
{
    public static string Name => "Identity";
}

public static class IdentityModuleExtensions
{
    public static WebApplicationBuilder AddIdentityService(this WebApplicationBuilder builder)
    {
        IdentitySettings.AddDemoAccounts(builder.Configuration, builder.Configuration);
        var section = builder.Configuration.GetSection("Identity");
        var settings = section.Get<IdentitySettings>() ?? new IdentitySettings();
        var issuer = settings.Issuer ?? throw new InvalidOperationException(
            "Identity:Issuer is required: the public base URL of the Identity service, e.g. http://127.0.0.1:5090/.");
        var keys = IdentityKeys.Load(builder.Configuration, ProductionGuard.Applies(builder));

        var internalSigning = InternalTokenSigning.From(keys.Encryption);
        builder.Services.AddSingleton(internalSigning);
        builder.Services.Configure<IdentitySettings>(section);
        builder.AddServiceDatabase<IdentityModule>();
        TrustOwnTokens(builder.Configuration, keys);
        builder.AddPermitsAuthentication(PermitsAudiences.Identity);
        builder.Services.AddSingleton<OfficerDirectory>();
        builder.Services.AddSingleton<ClientRegistry>();
        builder.Services.AddSingleton<Officers>();
        builder.Services.AddSingleton<OfficerAccounts>();
        builder.Services.AddSingleton<Applicants>();
        builder.Services.AddSingleton<OfficerSignIns>();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<SessionRenewal>();
        builder.Services.AddSingleton<OneTimeCodes>();
        builder.Services.AddSingleton<RedeemedCodes>();
        settings.Retention.Validate();
        builder.Services.AddSingleton<SignInRecordPruner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SignInRecordPruner>());
        builder.Services.AddHostedService<OfficerSeeder>();
        builder.Services.AddHttpClient<SmsGateway>((sp, http) =>
        {
            var url = sp.GetRequiredService<IOptions<IdentitySettings>>().Value.SmsGatewayUrl
                      ?? throw new InvalidOperationException("Identity:SmsGatewayUrl is required to send sign-in codes.");
            http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
        });
        builder.Services.AddAntiforgery();

        builder.Services.AddAuthentication()
            .AddCookie(IdentityPrincipals.SessionScheme, cookie =>
            {
                cookie.Cookie.Name = ".Permits.Identity";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = false;
                cookie.LoginPath = SignInPages.SmsPath;
                // A session ended by signing out (here or from the Portal) is over on every replica: a copied cookie
                // of it is refused.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
                    if (!await sessions.IsActiveAsync(context.Principal?.FindFirst(Sessions.Claim)?.Value, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                    }
                };
            });

        builder.Services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(issuer));
                server.SetAuthorizationEndpointUris(ConnectEndpoints.Authorize.TrimStart('/'))
                    .SetTokenEndpointUris(ConnectEndpoints.Token.TrimStart('/'))
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSession.TrimStart('/'));
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .AllowPasswordFlow();
                // PKCE with S256 only: a "plain" challenge is the verifier itself, so whoever sees the authorization
                // request could redeem the code (RFC 9700 §2.1.1).
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, PermitsScopes.Api, PermitsScopes.DisclosureRead);
                server.RegisterClaims(Sessions.Claim, PermitsClaims.Subject, PermitsClaims.Name, PermitsClaims.Role, PermitsClaims.County,
                    PermitsClaims.Province, PermitsClaims.PhoneNumber);
                // Each access token's lifetime is set where it is issued (short when a refresh token renews it, see
                // ConnectEndpoints); this is only the fallback. A refresh token lasts as long as a session may, from the
                // sign-in on (not sliding), and is honoured only while its session is open (SessionRenewal): in degraded
                // mode nothing is stored, so the session is what ends it.
                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(settings.AccessTokenMinutes))
                    .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2))
                    .SetRefreshTokenLifetime(Sessions.Lifetime)
                    .DisableSlidingRefreshTokenExpiration();

                // The current key signs; an older one stays published (JWKS) until tokens it signed have expired.
                server.AddSigningKey(keys.Signing);
                if (keys.Previous is not null)
                {
                    server.AddSigningKey(keys.Previous);
                }

                server.AddEncryptionKey(keys.Encryption);
                server.DisableAccessTokenEncryption();
                server.AddEventHandler(InternalTokenSigning.Sign.Descriptor);
                server.AddEventHandler(InternalTokenSigning.Accept.Descriptor);

                // No EF Core here: clients come from configuration and are checked by our handlers; codes are
                // self-contained (encrypted, short-lived) rather than stored.
                server.EnableDegradedMode();
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.AddEventHandler(ClientRegistry.ValidateAuthorization.Descriptor);
                server.AddEventHandler(ClientRegistry.ValidateToken.Descriptor);
                server.AddEventHandler(ClientRegistry.ValidateEndSession.Descriptor);

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (settings.AllowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        return builder;
    }

    /// <summary>
    /// Identity's gRPC API (officer accounts) takes access tokens as every service does: through the configured pinned
    /// keys or authority, or else, for an Identity on its own, through its own signing keys (no call to itself).
    /// </summary>
    private static void TrustOwnTokens(ConfigurationManager configuration, IdentityKeys keys)
    {
        if (configuration.GetSection("Identity:SigningKeys").GetChildren().Any() || !string.IsNullOrWhiteSpace(configuration["Identity:Authority"]))
        {
            return;
        }

        var own = new Dictionary<string, string?>();
        foreach (var (key, index) in new[] { keys.Signing, keys.Previous }.OfType<RsaSecurityKey>().Select((k, i) => (k, i)))
        {
            using var rsa = RSA.Create(key.Rsa?.ExportParameters(false) ?? key.Parameters);
            own[$"Identity:SigningKeys:{index}:KeyId"] = key.KeyId;
            own[$"Identity:SigningKeys:{index}:PublicKeyPem"] = rsa.ExportSubjectPublicKeyInfoPem();
        }

        configuration.AddInMemoryCollection(own);
    }

    public static WebApplication MapIdentityService(this WebApplication app)
    {
        app.MapGrpcService<Permits.Identity.Grpc.OfficersService>();
        app.MapGrpcService<Permits.Identity.Grpc.OfficerAccountsService>();
        app.MapConnectEndpoints();
        app.MapSignInPages();
        return app;
    }
}
