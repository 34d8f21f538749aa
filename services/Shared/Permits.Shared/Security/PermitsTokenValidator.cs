using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Permits.Shared.Security;

/// <summary>
/// Validates Permits access tokens: signature (pinned keys or discovery), issuer, audience, lifetime, type. A token that
/// passed is remembered until it expires, for as long as the keys it was checked against are the keys in force: a
/// caller presents the same token on every call (a shopkeeper's journey makes some twenty), and checking its RSA
/// signature and parsing it again each time was most of what authenticating a call cost. New keys from discovery (a
/// rotation, a key withdrawn) are a new key set, against which every token is checked afresh.
/// </summary>
public sealed class PermitsTokenValidator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Tokens remembered at most; past it the memory starts again (a flood of distinct tokens costs only validation).</summary>
    internal const int MaxRemembered = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly PermitsAudienceSet _audiences;
    private readonly string? _issuer;
    private readonly List<SecurityKey> _pinnedKeys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _discovery;

    private PermitsTokenValidator(
        PermitsAudienceSet audiences,
        string? issuer,
        List<SecurityKey> pinnedKeys,
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
        var keys = await SigningKeysAsync(cancellationToken);
        if (_validated.TryGetValue(token, out var known))
        {
            if (ReferenceEquals(known.Keys, keys) && DateTime.UtcNow < known.ValidTo + ClockSkew)
            {
                // A copy: whatever a request does to its principal stays in that request.
                return (new ClaimsPrincipal(known.Identity.Clone()), null);
            }

            _validated.TryRemove(token, out _);
        }

        var result = await ValidateOnceAsync(token, keys, cancellationToken);
        if (!result.IsValid && _discovery is not null && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key id we have not seen: Identity may have rotated its key since we last read its keys.
            _discovery.RequestRefresh();
            keys = await SigningKeysAsync(cancellationToken);
            result = await ValidateOnceAsync(token, keys, cancellationToken);
        }

        if (!result.IsValid)
        {
            return (null, result.Exception?.Message ?? "invalid token");
        }

        Remember(token, keys, result);
        return (new ClaimsPrincipal(result.ClaimsIdentity), null);
    }

    /// <summary>Keeps a valid token with its expiry and the key set that checked it (a copy of its identity, never handed out itself).</summary>
    private void Remember(string token, ICollection<SecurityKey> keys, TokenValidationResult result)
    {
        if (result.SecurityToken is not JsonWebToken { ValidTo: var validTo } || validTo == DateTime.MinValue)
        {
            return;
        }

        if (_validated.Count >= MaxRemembered)
        {
            _validated.Clear();
        }

        _validated[token] = new Validated(result.ClaimsIdentity.Clone(), validTo, keys);
    }

    /// <summary>The keys in force: the pinned ones, or discovery's current set (the same object until discovery reads new keys).</summary>
    private async Task<ICollection<SecurityKey>> SigningKeysAsync(CancellationToken cancellationToken) =>
        _discovery is null ? _pinnedKeys : (await _discovery.GetConfigurationAsync(cancellationToken)).SigningKeys;

    private async Task<TokenValidationResult> ValidateOnceAsync(string token, ICollection<SecurityKey> keys, CancellationToken cancellationToken)
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
        parameters.IssuerSigningKeys = keys;
        parameters.ValidIssuer = _discovery is null ? _issuer : _issuer ?? (await _discovery.GetConfigurationAsync(cancellationToken)).Issuer;
        return await _handler.ValidateTokenAsync(token, parameters);
    }

    /// <summary>A token that passed: its identity, when it expires, and the key set it was checked against.</summary>
    private sealed record Validated(ClaimsIdentity Identity, DateTime ValidTo, ICollection<SecurityKey> Keys);

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
