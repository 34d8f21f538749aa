using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Permits.Identity.Server;

/// <summary>
/// The registered clients, from configuration. OpenIddict runs in degraded mode (no EF Core stores), so the checks
/// its application manager would make are made here, as event handlers: known client, exact redirect URI, secret,
/// and the grant types and scopes each client may use.
/// </summary>
public sealed class ClientRegistry(IOptions<IdentitySettings> settings)
{
    public ClientSettings? Find(string? clientId) =>
        clientId is null ? null : settings.Value.Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));

    public bool SecretMatches(ClientSettings client, string? secret) =>
        client.ClientSecret is { Length: > 0 } expected && secret is not null &&
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Whether the client may use a grant type: those configured, and the refresh token grant for a client of the code
    /// flow (the Portal), whose refresh tokens carry the person's sign-in session and are refused once it has ended.
    /// </summary>
    public static bool MayUse(ClientSettings client, string grantType) =>
        client.GrantTypes.Contains(grantType) ||
        (grantType == OpenIddictConstants.GrantTypes.RefreshToken && client.GrantTypes.Contains(OpenIddictConstants.GrantTypes.AuthorizationCode));

    /// <summary>
    /// The first scope asked for that the client may not have, or null: its configured scopes, and <c>offline_access</c>
    /// (a refresh token) in the code flow and its renewals only, never with a password or client credentials.
    /// </summary>
    public static string? ScopeNotAllowed(ClientSettings client, OpenIddictRequest request, string grantType) =>
        request.GetScopes().Except(client.Scopes).FirstOrDefault(scope =>
            scope != OpenIddictConstants.Scopes.OfflineAccess ||
            grantType is not (OpenIddictConstants.GrantTypes.AuthorizationCode or OpenIddictConstants.GrantTypes.RefreshToken) ||
            !MayUse(client, OpenIddictConstants.GrantTypes.RefreshToken));

    public bool IsPostLogoutRedirect(string uri) =>
        settings.Value.Clients.Any(c => c.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal));

    /// <summary>Authorization requests: a known client that may use the code flow, to one of its redirect URIs, for its scopes.</summary>
    public sealed class ValidateAuthorization(ClientRegistry clients) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
                .UseScopedHandler<ValidateAuthorization>()
                .SetOrder(int.MinValue + 100_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
        {
            var client = clients.Find(context.ClientId);
            if (client is null || !MayUse(client, OpenIddictConstants.GrantTypes.AuthorizationCode))
            {
                context.Reject(OpenIddictConstants.Errors.InvalidClient, "The client is unknown or may not use the authorization code flow.");
            }
            else if (context.RedirectUri is null || !client.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
            {
                context.Reject(OpenIddictConstants.Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
            }
            else if (ScopeNotAllowed(client, context.Request, OpenIddictConstants.GrantTypes.AuthorizationCode) is { } scope)
            {
                context.Reject(OpenIddictConstants.Errors.InvalidScope, $"The client may not ask for scope {scope}.");
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Token requests: client authenticated by its secret, grant type allowed, scopes within its own.</summary>
    public sealed class ValidateToken(ClientRegistry clients) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
                .UseScopedHandler<ValidateToken>()
                .SetOrder(int.MinValue + 100_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            var request = context.Request;
            var client = clients.Find(request.ClientId);
            if (client is null || !clients.SecretMatches(client, request.ClientSecret))
            {
                context.Reject(OpenIddictConstants.Errors.InvalidClient, "The client credentials are invalid.");
            }
            else if (request.GrantType is null || !MayUse(client, request.GrantType))
            {
                context.Reject(OpenIddictConstants.Errors.UnauthorizedClient, "The client may not use this grant type.");
            }
            else if (ScopeNotAllowed(client, request, request.GrantType) is { } scope)
            {
                context.Reject(OpenIddictConstants.Errors.InvalidScope, $"The client may not ask for scope {scope}.");
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>End-session requests may only send the browser back to a registered address.</summary>
    public sealed class ValidateEndSession(ClientRegistry clients) : IOpenIddictServerHandler<ValidateEndSessionRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateEndSessionRequestContext>()
                .UseScopedHandler<ValidateEndSession>()
                .SetOrder(int.MinValue + 100_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ValidateEndSessionRequestContext context)
        {
            if (context.PostLogoutRedirectUri is { } uri && !clients.IsPostLogoutRedirect(uri))
            {
                context.Reject(OpenIddictConstants.Errors.InvalidRequest, "The post_logout_redirect_uri is not registered.");
            }

            return ValueTask.CompletedTask;
        }
    }
}
