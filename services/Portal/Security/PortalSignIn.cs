using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Permits.Shared.Security;

namespace Permits.Portal.Security;

/// <summary>
/// Sign-in for the Portal: a cookie session, opened by the OpenID Connect authorization code flow (PKCE,
/// confidential client) against the Identity service. The Portal keeps the access token in the session to call the
/// services on the person's behalf (<see cref="PortalCaller"/>), and the refresh token that renews it
/// (<see cref="PortalSessions"/>). Configuration: <c>Identity:Authority</c> (Identity's
/// URL as the browser reaches it), <c>Identity:BackChannel</c> (optional: where the Portal itself calls Identity, see
/// <see cref="IdentityBackChannel"/>), <c>Portal:ClientId</c> (default <c>portal</c>), <c>Portal:ClientSecret</c>.
/// Without <c>Identity:Authority</c> sign-in is off and every page stays public.
/// </summary>
public static class PortalSignIn
{
    public const string CookieScheme = "Permits.Portal";
    public const string ChallengeScheme = "Permits.Portal.Identity";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Which sign-in page Identity shows: <c>applicant</c> (mobile + SMS code) or <c>officer</c>.</summary>
    private const string KindItem = "permits.kind";

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Identity:Authority"]);

    public static WebApplicationBuilder AddPortalSignIn(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!IsEnabled(configuration))
        {
            return builder;
        }

        var authority = Authority(configuration);
        var clientId = configuration["Portal:ClientId"] ?? "portal";
        var clientSecret = configuration["Portal:ClientSecret"]
                           ?? throw new InvalidOperationException("Portal:ClientSecret is required when Identity:Authority is set.");

        builder.Services
            .AddAuthentication(options =>
            {
                // Pages read the person from the Portal's cookie; APIs in the same host name their own scheme.
                options.DefaultAuthenticateScheme = CookieScheme;
                options.DefaultChallengeScheme = ChallengeScheme;
            })
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = ".Permits.Portal";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // The access token inside lasts minutes and is renewed as it runs out (PortalSessions), each renewal
                // re-issuing the cookie; a person away longer than this is signed in again by Identity's own session
                // without being asked, while it lasts.
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(55);
                cookie.SlidingExpiration = false;
                cookie.LoginPath = SignInPath;
                // A page the person's role cannot use says so, with the way to their own start page.
                cookie.AccessDeniedPath = PortalStatusPages.DeniedPath;
                cookie.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<IPortalSessions>().ValidateAsync(context);
            })
            .AddOAuth(ChallengeScheme, oauth =>
            {
                oauth.SignInScheme = CookieScheme;
                oauth.ClientId = clientId;
                oauth.ClientSecret = clientSecret;
                oauth.AuthorizationEndpoint = authority + "connect/authorize";
                // The browser goes to the public address; the Portal's own call may take an internal one.
                oauth.TokenEndpoint = IdentityBackChannel.Address(configuration) + "connect/token";
                oauth.BackchannelHttpHandler = IdentityBackChannel.Handler(configuration);
                oauth.CallbackPath = CallbackPath;
                oauth.UsePkce = true;
                // The callback is a top-level GET from Identity: Lax suffices, and unlike None it works on plain HTTP
                // (the loopback development setups), where a Secure-only correlation cookie would never come back.
                oauth.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oauth.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oauth.SaveTokens = true;
                oauth.Scope.Add("openid");
                oauth.Scope.Add("profile");
                oauth.Scope.Add(PermitsScopes.Api);
                // A refresh token, kept in the cookie, renews the short access token while the Identity session lasts.
                oauth.Scope.Add("offline_access");
                oauth.Events.OnRedirectToAuthorizationEndpoint = context =>
                {
                    var url = context.RedirectUri;
                    if (context.Properties.Items.TryGetValue(KindItem, out var kind) && kind is not null)
                    {
                        // An explicit 登录 click: show the chosen page even if Identity still has a session.
                        url = QueryHelpers.AddQueryString(url, new Dictionary<string, string?> { ["acr_values"] = kind, ["prompt"] = "login" });
                    }

                    context.Response.Redirect(url);
                    return Task.CompletedTask;
                };
                oauth.Events.OnCreatingTicket = context =>
                {
                    AddIdentityClaims(context, authority, clientId);
                    return Task.CompletedTask;
                };
                // A callback that cannot complete (a stale or forged state, a refused or failed sign-in) is the
                // person's problem to retry, not a server error.
                oauth.Events.OnRemoteFailure = async context =>
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(SignInFailedPage, context.HttpContext.RequestAborted);
                };
            });
        // One per process: it remembers the sessions it has checked (and those it signed out) between requests.
        builder.Services.AddHttpClient(PortalSessions.HttpClientName, http => http.BaseAddress = IdentityBackChannel.Address(configuration))
            .ConfigurePrimaryHttpMessageHandler(() => IdentityBackChannel.Handler(configuration));
        builder.Services.AddSingleton<IPortalSessions, PortalSessions>();

        builder.Services.AddAuthorization(options =>
        {
            AuthorizationPolicyBuilder Policy() => new AuthorizationPolicyBuilder(CookieScheme).RequireAuthenticatedUser();
            options.AddPolicy(PortalPolicies.Applicant, Policy()
                .RequireClaim(PermitsClaims.Role, PermitsRoles.Applicant).Build());
            options.AddPolicy(PortalPolicies.Officer, Policy()
                .RequireClaim(PermitsClaims.Role, PermitsRoles.Officer).RequireClaim(PermitsClaims.County).Build());
            options.AddPolicy(PortalPolicies.CountyOfficer, Policy()
                .RequireAssertion(context => PortalStart.IsCountyOfficer(context.User)).Build());
            foreach (var role in PermitsRoles.Officer)
            {
                options.AddPolicy(PortalPolicies.For(role), Policy()
                    .RequireClaim(PermitsClaims.Role, role).RequireClaim(PermitsClaims.County).Build());
            }
        });
        return builder;
    }

    public static WebApplication MapPortalSignIn(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        app.MapGet(SignInPath, (string? kind, string? returnUrl) =>
        {
            var properties = new AuthenticationProperties { RedirectUri = PortalStart.AfterSignIn(returnUrl) };
            properties.Items[KindItem] = kind == PermitsRoles.Applicant || kind is null ? PermitsRoles.Applicant : "officer";
            return Results.Challenge(properties, [ChallengeScheme]);
        });
        app.MapPost(SignOutPath, async (HttpContext context, IAntiforgery antiforgery, IPortalSessions sessions) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("页面已过期，请刷新后再退出。");
            }

            // The session ends in Identity too (the same session id), so a copied cookie of either site is now worthless
            // and the next 登录 asks again.
            await sessions.RevokeAsync(context.User.FindFirst(PortalSessions.Claim)?.Value, context.RequestAborted);
            await context.SignOutAsync(CookieScheme);
            return Results.Redirect($"{context.Request.PathBase}/");
        });
        return app;
    }

    /// <summary>The claims the Portal's cookie takes from Identity's identity token (at sign-in and at each renewal).</summary>
    public static readonly IReadOnlyList<string> IdentityClaimTypes =
        [PortalSessions.Claim, PermitsClaims.Subject, PermitsClaims.Name, PermitsClaims.Role, PermitsClaims.County, PermitsClaims.PhoneNumber];

    /// <summary>Identity's URL as the browser reaches it (the issuer of its tokens), ending in '/'.</summary>
    public static string Authority(IConfiguration configuration) => configuration["Identity:Authority"]!.TrimEnd('/') + "/";

    private static void AddIdentityClaims(OAuthCreatingTicketContext context, string authority, string clientId)
    {
        var idToken = context.TokenResponse.Response?.RootElement.TryGetProperty("id_token", out var value) == true
            ? value.GetString()
            : null;
        context.Identity!.AddClaims(IdentityClaims(idToken, authority, clientId, context.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// The person's claims, from the identity token in a token response. It came straight from Identity's token
    /// endpoint over the back channel (OpenID Connect Core 3.1.3.7 lets TLS stand in for the signature check there);
    /// issuer, audience and expiry are still checked, and it must name the session.
    /// </summary>
    public static IReadOnlyList<Claim> IdentityClaims(string? idToken, string authority, string clientId, DateTimeOffset now)
    {
        if (idToken is null || idToken.Split('.') is not { Length: 3 } parts)
        {
            throw new AuthenticationFailureException("Identity returned no identity token.");
        }

        using var payload = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1]));
        var root = payload.RootElement;
        var issuer = root.GetProperty("iss").GetString();
        var audiences = root.GetProperty("aud") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(a => a.GetString()).ToList()
            : [root.GetProperty("aud").GetString()];
        var expires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
        if (issuer?.TrimEnd('/') != authority.TrimEnd('/') || !audiences.Contains(clientId) || expires < now)
        {
            throw new AuthenticationFailureException("The identity token is not for this Portal or has expired.");
        }

        if (!root.TryGetProperty(PortalSessions.Claim, out _))
        {
            throw new AuthenticationFailureException("The identity token names no session, so signing out could not end it.");
        }

        var claims = new List<Claim>();
        foreach (var type in IdentityClaimTypes)
        {
            if (!root.TryGetProperty(type, out var claim))
            {
                continue;
            }

            foreach (var item in claim.ValueKind == JsonValueKind.Array ? claim.EnumerateArray().ToArray() : [claim])
            {
                claims.Add(new Claim(type, item.GetString() ?? "", ClaimValueTypes.String, issuer));
            }
        }

        return claims;
    }

    private const string SignInFailedPage = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>登录未完成 - 烟草专卖零售许可证网上办理</title></head>
        <body>
        <main>
        <h1>登录未完成</h1>
        <p>登录页面已过期，或登录被取消。请重新登录。</p>
        <p><a href="/signin">重新登录</a> · <a href="/">返回首页</a></p>
        </main>
        </body>
        </html>
        """;

}

/// <summary>Policies for Portal pages (the Portal's cookie, not a bearer token). The owning issues apply them to their pages.</summary>
public static class PortalPolicies
{
    public const string Applicant = "portal-applicant";
    public const string Officer = "portal-officer";

    /// <summary>An officer of the county's review work (受理, 核查, 审核 or 审批), not only 政务公开.</summary>
    public const string CountyOfficer = "portal-county-officer";

    /// <summary><c>portal-clerk</c>, <c>portal-inspector</c>, <c>portal-reviewer</c>, <c>portal-head</c>.</summary>
    public static string For(string officerRole) => "portal-" + officerRole;
}
