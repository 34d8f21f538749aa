using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Permits.Identity.Features;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Permits.Identity.Server;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us: authorize, token (code, refresh token, password,
/// client credentials), end session.
/// </summary>
public static class ConnectEndpoints
{
    public const string Authorize = "/connect/authorize";
    public const string Token = "/connect/token";
    public const string EndSession = "/connect/endsession";

    /// <summary>The Portal's back channel for its sessions (client id and secret): is one still open, end one.</summary>
    public const string SessionStatus = "/connect/session/status";
    public const string SessionRevoke = "/connect/session/revoke";

    public static void MapConnectEndpoints(this WebApplication app)
    {
        app.MapMethods(Authorize, ["GET", "POST"], (Delegate)AuthorizeAsync);
        app.MapPost(Token, TokenAsync);
        app.MapMethods(EndSession, ["GET", "POST"], (Delegate)EndSessionAsync);
        app.MapPost(SessionStatus, (HttpContext context, ClientRegistry clients, Sessions sessions) =>
            SessionAsync(context, clients, async id => Results.Json(new { active = await sessions.IsActiveAsync(id, context.RequestAborted) })));
        app.MapPost(SessionRevoke, (HttpContext context, ClientRegistry clients, Sessions sessions) =>
            SessionAsync(context, clients, async id =>
            {
                await sessions.RevokeAsync(id, context.RequestAborted);
                return Results.Json(new { active = false });
            }));
    }

    /// <summary>A confidential client (its id and secret in the form) asking about one session id.</summary>
    private static async Task<IResult> SessionAsync(HttpContext context, ClientRegistry clients, Func<string, Task<IResult>> answer)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest();
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var client = clients.Find(form["client_id"]);
        if (client is null || !clients.SecretMatches(client, form["client_secret"]))
        {
            return Results.Unauthorized();
        }

        return await answer(form["session"].ToString());
    }

    /// <summary>
    /// Signed in? Issue the code. Otherwise (or with prompt=login), to the sign-in page that acr_values asks for
    /// (<c>officer</c>, else the shopkeepers' SMS page), and back here after.
    /// </summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
                      ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var wanted = request.GetAcrValues().Contains(IdentityPrincipals.OfficerKind)
            ? IdentityPrincipals.OfficerKind
            : IdentityPrincipals.ApplicantKind;
        var session = await context.AuthenticateAsync(IdentityPrincipals.SessionScheme);
        if (!session.Succeeded || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(
                    new AuthenticationProperties(new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is not signed in.",
                    }),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Back here after sign-in, without prompt=login so the loop ends.
            var parameters = context.Request.HasFormContentType
                ? context.Request.Form.Where(p => p.Key != Parameters.Prompt)
                : context.Request.Query.Where(p => p.Key != Parameters.Prompt);
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            var page = wanted == IdentityPrincipals.OfficerKind ? SignInPages.OfficerPath : SignInPages.SmsPath;
            return Results.Redirect($"{context.Request.PathBase}{page}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var identity = new ClaimsIdentity(
            session.Principal!.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        return Results.SignIn(IdentityPrincipals.ForTokens(identity, request.GetScopes()), null,
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(
        HttpContext context, ClientRegistry clients, OfficerSignIns officers, RedeemedCodes redeemed, SessionRenewal renewal,
        IOptions<IdentitySettings> settings)
    {
        var request = context.GetOpenIddictServerRequest()
                      ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        const string scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

        if (request.IsClientCredentialsGrantType())
        {
            // The client was authenticated by ClientRegistry.ValidateToken; only platforms have a province.
            var client = clients.Find(request.ClientId)!;
            if (string.IsNullOrWhiteSpace(client.Province))
            {
                return Refuse(Errors.UnauthorizedClient, "This client is not a platform (no province).");
            }

            return Issue(IdentityPrincipals.ForTokens(IdentityPrincipals.Platform(client, scheme), request.GetScopes()));
        }

        if (request.IsPasswordGrantType())
        {
            var signIn = await officers.SignInAsync(
                request.Username ?? "", request.Password ?? "", SignInPages.ClientAddress(context), context.RequestAborted);
            return signIn.Officer is not { } officer
                ? Refuse(Errors.InvalidGrant, signIn.Error!)
                : Issue(IdentityPrincipals.ForTokens(IdentityPrincipals.Officer(officer, scheme), request.GetScopes()));
        }

        if (request.IsAuthorizationCodeGrantType())
        {
            // The code's principal (validated by OpenIddict: PKCE, client, redirect URI, lifetime) keeps its claims.
            var result = await context.AuthenticateAsync(scheme);
            if (result.Principal is null || !await redeemed.TryRedeemAsync(request.Code!, context.RequestAborted))
            {
                return Refuse(Errors.InvalidGrant, "The authorization code is no longer valid.");
            }

            return Issue(result.Principal);
        }

        if (request.IsRefreshTokenGrantType())
        {
            // The refresh token (validated by OpenIddict: signature, client, lifetime) names the session it lives on.
            var result = await context.AuthenticateAsync(scheme);
            var renewed = result.Principal is null ? null : await renewal.RenewAsync(result.Principal, scheme, context.RequestAborted);
            return renewed is null
                ? Refuse(Errors.InvalidGrant, "The sign-in session has ended or the account may no longer sign in.")
                : Issue(renewed);
        }

        return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");

        // An access token that comes with a refresh token (offline_access: the Portal's) is short, as it is renewed
        // only while the session lasts; one that nothing renews keeps the longer lifetime.
        IResult Issue(ClaimsPrincipal principal)
        {
            var minutes = principal.HasScope(Scopes.OfflineAccess)
                ? settings.Value.AccessTokenMinutes
                : settings.Value.NonRenewableAccessTokenMinutes;
            principal.SetAccessTokenLifetime(TimeSpan.FromMinutes(minutes));
            return Results.SignIn(principal, null, scheme);
        }

        static IResult Refuse(string error, string description) => Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [scheme]);
    }

    /// <summary>
    /// Ends the Identity session, then OpenIddict sends the browser to the validated post-logout address. Only by a
    /// form posted from Identity's own page (antiforgery): a GET, which any other site can make a browser send, shows
    /// that page and asks first, so nobody is signed out by merely visiting a link.
    /// </summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context, IAntiforgery antiforgery, Sessions sessions)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !await antiforgery.IsRequestValidAsync(context))
        {
            var parameters = context.Request.HasFormContentType ? context.Request.Form.AsEnumerable() : context.Request.Query;
            return SignInPages.ConfirmSignOut(context, antiforgery,
                parameters.Where(p => p.Key != "__RequestVerificationToken").Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())));
        }

        var session = await context.AuthenticateAsync(IdentityPrincipals.SessionScheme);
        await sessions.RevokeAsync(session.Principal?.FindFirst(Sessions.Claim)?.Value, context.RequestAborted);
        await context.SignOutAsync(IdentityPrincipals.SessionScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
