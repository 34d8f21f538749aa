using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Permits.Shared.Security;

/// <summary>Validates Permits access tokens: signature (pinned keys or discovery), issuer, audience, lifetime, type.</summary>
public sealed class PermitsTokenValidator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly PermitsAudienceSet _audiences;
    private readonly string? _issuer;
    private readonly IReadOnlyList<SecurityKey> _pinnedKeys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _discovery;

    private PermitsTokenValidator(
        PermitsAudienceSet audiences,
        string? issuer,
        IReadOnlyList<SecurityKey> pinnedKeys,
        ConfigurationManager<OpenIdConnectConfiguration>? discovery)
    {
        _audiences = audiences;
        _issuer = issuer;
        _pinnedKeys = pinnedKeys;
        _discovery = discovery;
    }

    public static PermitsTokenValidator Create(IConfiguration configuration, PermitsAudienceSet audiences, IHttpClientFactory? httpClients)
    {
        var keys = ReadPinnedKeys(configuration);
        var authority = configuration["Identity:Authority"];
        var issuer = configuration["Identity:Issuer"] ?? authority;
        if (keys.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(issuer))
            {
                throw new InvalidOperationException("Identity:SigningKeys needs Identity:Issuer (the issuer the tokens name).");
            }

            return new PermitsTokenValidator(audiences, issuer, keys, null);
        }

        var metadata = new Uri(new Uri(EnsureSlash(authority!)), ".well-known/openid-configuration").ToString();
        var http = httpClients?.CreateClient(nameof(PermitsTokenValidator)) ?? new HttpClient();
        var discovery = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadata,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = metadata.StartsWith("https://", StringComparison.OrdinalIgnoreCase) })
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(1),
            RefreshInterval = TimeSpan.FromSeconds(30),
        };
        return new PermitsTokenValidator(audiences, configuration["Identity:Issuer"], [], discovery);
    }

    /// <summary>The principal the token stands for, or the reason it is refused.</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Error)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await ValidateOnceAsync(token, cancellationToken);
        if (!result.IsValid && _discovery is not null && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key id we have not seen: Identity may have rotated its key since we last read its keys.
            _discovery.RequestRefresh();
            result = await ValidateOnceAsync(token, cancellationToken);
        }

        return result.IsValid
            ? (new ClaimsPrincipal(result.ClaimsIdentity), null)
            : (null, result.Exception?.Message ?? "invalid token");
    }

    private async Task<TokenValidationResult> ValidateOnceAsync(string token, CancellationToken cancellationToken)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudiences = _audiences.Audiences,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = ClockSkew,
            // RFC 9068 access tokens only: an identity token (typ JWT) must not open an API.
            ValidTypes = ["at+jwt"],
            NameClaimType = PermitsClaims.Name,
            RoleClaimType = PermitsClaims.Role,
            AuthenticationType = PermitsAuthentication.Scheme,
        };
        if (_discovery is null)
        {
            parameters.ValidIssuer = _issuer;
            parameters.IssuerSigningKeys = _pinnedKeys;
        }
        else
        {
            var configuration = await _discovery.GetConfigurationAsync(cancellationToken);
            parameters.ValidIssuer = _issuer ?? configuration.Issuer;
            parameters.IssuerSigningKeys = configuration.SigningKeys;
        }

        return await _handler.ValidateTokenAsync(token, parameters);
    }

    private static List<SecurityKey> ReadPinnedKeys(IConfiguration configuration)
    {
        var keys = new List<SecurityKey>();
        foreach (var section in configuration.GetSection("Identity:SigningKeys").GetChildren())
        {
            var pem = section["PublicKeyPem"];
            if (string.IsNullOrWhiteSpace(pem))
            {
                throw new InvalidOperationException($"{section.Path}:PublicKeyPem is missing.");
            }

            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            keys.Add(new RsaSecurityKey(rsa) { KeyId = section["KeyId"] });
        }

        return keys;
    }

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
