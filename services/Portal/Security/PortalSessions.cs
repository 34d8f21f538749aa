using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Permits.Portal.Security;

/// <summary>
/// Ends a Portal session for good on 退出: the Portal keeps no store of its own, and a copy of the cookie would
/// otherwise work until it expires. Every Portal session carries the id of the Identity session it came from
/// (<c>permits_session</c>, from the identity token); signing out revokes that id in Identity's database (one revocation
/// list for every replica of both), and each replica asks Identity whether a cookie's session is still open, at most
/// once per <c>Portal:SessionCheckSeconds</c> (default 15) per session. The replica that signed a session out forgets
/// it at once; the others within that interval. Identity unreachable: the request is treated as signed out (and the
/// cookie kept, so the person is back when Identity is).
/// <para>
/// The access token in the cookie lasts minutes (<c>Identity:AccessTokenMinutes</c>): when less than a minute of it is
/// left, the request renews it with the cookie's refresh token instead of asking about the session, and re-issues the
/// cookie with the new tokens and the claims Identity now gives (an officer's new roles). Identity refuses a renewal
/// once the session has ended or the officer is deactivated: the person is then signed out, as for a revoked session.
/// </para>
/// </summary>
public sealed partial class PortalSessions(
    IHttpClientFactory httpClients, IConfiguration configuration, TimeProvider time, ILogger<PortalSessions> logger) : IPortalSessions
{
    public const string Claim = "permits_session";

    /// <summary>The named HTTP client for Identity's session endpoints (base address: <c>Identity:Authority</c>).</summary>
    public const string HttpClientName = "permits-portal-sessions";

    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset Until)> _known = new();

    private TimeSpan CheckInterval => TimeSpan.FromSeconds(configuration.GetValue("Portal:SessionCheckSeconds", 15));

    private string ClientId => configuration["Portal:ClientId"] ?? "portal";

    private string ClientSecret => configuration["Portal:ClientSecret"] ?? "";

    /// <summary>How long before the access token runs out the request renews it.</summary>
    public static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(1);

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(Claim)?.Value;
        var active = IsRenewalDue(context.Properties)
            ? await RenewAsync(context, id)
            : await IsActiveAsync(id, context.HttpContext.RequestAborted);
        if (active != true)
        {
            context.RejectPrincipal();
            if (active == false)
            {
                await context.HttpContext.SignOutAsync(PortalSignIn.CookieScheme);
            }
        }
    }

    /// <summary>True or false as Identity answered (or recently answered); null when Identity could not be asked.</summary>
    public async Task<bool?> IsActiveAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (_known.TryGetValue(sessionId, out var known) && known.Until > now)
        {
            return known.Active;
        }

        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsync("connect/session/status", Form(sessionId), cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<SessionAnswer>(cancellationToken);
            var active = answer?.Active == true;
            Remember(sessionId, active, now + (active ? CheckInterval : TimeSpan.FromHours(1)));
            return active;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            LogUnreachable(logger, ex);
            return null;
        }
    }

    /// <summary>A refresh token to renew with, and an access token with less than <see cref="RenewalMargin"/> left.</summary>
    private bool IsRenewalDue(AuthenticationProperties properties) =>
        !string.IsNullOrEmpty(properties.GetTokenValue(RefreshToken)) &&
        (!DateTimeOffset.TryParse(properties.GetTokenValue(ExpiresAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
         || expires - time.GetUtcNow() < RenewalMargin);

    /// <summary>
    /// The refresh token grant at Identity's token endpoint: renewed (tokens and claims replaced, the cookie re-issued),
    /// refused (false), or Identity could not be asked (null). A renewal also answers whether the session is open.
    /// </summary>
    private async Task<bool?> RenewAsync(CookieValidatePrincipalContext context, string? sessionId)
    {
        var cancellationToken = context.HttpContext.RequestAborted;
        JsonDocument answer;
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = RefreshToken,
                ["refresh_token"] = context.Properties.GetTokenValue(RefreshToken)!,
                ["client_id"] = ClientId,
                ["client_secret"] = ClientSecret,
            }), cancellationToken);
            answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest &&
                answer.RootElement.TryGetProperty("error", out var error) && error.GetString() == "invalid_grant")
            {
                answer.Dispose();
                Forget(sessionId);
                return false;
            }

            response.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            LogUnreachable(logger, ex);
            return null;
        }

        using (answer)
        {
            var now = time.GetUtcNow();
            var root = answer.RootElement;
            IReadOnlyList<System.Security.Claims.Claim> claims;
            try
            {
                claims = PortalSignIn.IdentityClaims(
                    root.TryGetProperty("id_token", out var idToken) ? idToken.GetString() : null, PortalSignIn.Authority(configuration), ClientId, now);
            }
            catch (Exception ex) when (ex is AuthenticationFailureException or JsonException or FormatException or KeyNotFoundException)
            {
                LogBadRenewal(logger, ex);
                return false;
            }

            if (claims.FirstOrDefault(c => c.Type == Claim)?.Value != sessionId || !root.TryGetProperty("access_token", out var accessToken))
            {
                LogBadRenewal(logger, null);
                return false;
            }

            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            context.ReplacePrincipal(new ClaimsPrincipal(new ClaimsIdentity(
                identity.Claims.Where(c => !PortalSignIn.IdentityClaimTypes.Contains(c.Type)).Concat(claims),
                identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType)));
            context.Properties.UpdateTokenValue("access_token", accessToken.GetString()!);
            context.Properties.UpdateTokenValue(ExpiresAt,
                (now + TimeSpan.FromSeconds(root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 0)).ToString("o", CultureInfo.InvariantCulture));
            if (root.TryGetProperty(RefreshToken, out var refreshToken) && refreshToken.GetString() is { Length: > 0 } renewed)
            {
                context.Properties.UpdateTokenValue(RefreshToken, renewed);
            }

            context.ShouldRenew = true;
            Remember(sessionId!, true, now + CheckInterval);
            return true;
        }
    }

    private void Forget(string? sessionId)
    {
        if (!string.IsNullOrEmpty(sessionId))
        {
            Remember(sessionId, false, time.GetUtcNow() + TimeSpan.FromHours(1));
        }
    }

    public async Task RevokeAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        Remember(sessionId, false, time.GetUtcNow() + TimeSpan.FromHours(1));
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsync("connect/session/revoke", Form(sessionId), cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Signed out here all the same (the cookie goes, this replica refuses the session); say loudly that the
            // other replicas and Identity did not hear of it.
            LogRevokeFailed(logger, ex);
        }
    }

    private void Remember(string sessionId, bool active, DateTimeOffset until)
    {
        if (_known.Count > 50_000)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _known.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList())
            {
                _known.TryRemove(stale, out _);
            }
        }

        _known[sessionId] = (active, until);
    }

    private FormUrlEncodedContent Form(string sessionId) => new(new Dictionary<string, string>
    {
        ["client_id"] = ClientId,
        ["client_secret"] = ClientSecret,
        ["session"] = sessionId,
    });

    private const string RefreshToken = "refresh_token";
    private const string ExpiresAt = "expires_at";

    private sealed record SessionAnswer(bool Active);

    [LoggerMessage(LogLevel.Error, "Identity renewed a Portal session's access token with an answer the Portal cannot use; the person is signed out")]
    private static partial void LogBadRenewal(ILogger logger, Exception? exception);

    [LoggerMessage(LogLevel.Error, "Identity could not be told that a Portal session was signed out; other replicas accept it until it expires")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Identity could not be asked whether a Portal session is still open; treated as signed out")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}

/// <summary>Whether a Portal session is still open, and ending one (<see cref="PortalSessions"/>; a test may stand in).</summary>
public interface IPortalSessions
{
    /// <summary>The cookie handler's check on every request that carries the Portal's cookie.</summary>
    Task ValidateAsync(CookieValidatePrincipalContext context);

    /// <summary>Ends the session here at once and, through Identity, on every replica and in Identity itself.</summary>
    Task RevokeAsync(string? sessionId, CancellationToken cancellationToken);
}
