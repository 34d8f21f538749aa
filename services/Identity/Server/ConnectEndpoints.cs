using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Permits.Identity.Features;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Permits.Identity.Server;

/// <summary>The OpenID Connect endpoints OpenIddict passes through to us: authorize, token, end session.</summary>
public static class ConnectEndpoints
{
    public const string Authorize = "/connect/authorize";
    public const string Token = "/connect/token";
    public const string EndSession = "/connect/endsession";

    public static void MapConnectEndpoints(this WebApplication app)
    {
        app.MapMethods(Authorize, ["GET", "POST"], (Delegate)AuthorizeAsync);
        app.MapPost(Token, TokenAsync);
        app.MapMethods(EndSession, ["GET", "POST"], (Delegate)EndSessionAsync);
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

    private static async Task<IResult> TokenAsync(HttpContext context, ClientRegistry clients, Officers officers, RedeemedCodes redeemed)
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

            return Results.SignIn(IdentityPrincipals.ForTokens(IdentityPrincipals.Platform(client, scheme), request.GetScopes()), null, scheme);
        }

        if (request.IsPasswordGrantType())
        {
            var officer = await officers.VerifyAsync(request.Username ?? "", request.Password ?? "", context.RequestAborted);
            return officer is null
                ? Refuse(Errors.InvalidGrant, "用户名或密码不正确。")
                : Results.SignIn(IdentityPrincipals.ForTokens(IdentityPrincipals.Officer(officer, scheme), request.GetScopes()), null, scheme);
        }

        if (request.IsAuthorizationCodeGrantType())
        {
            // The code's principal (validated by OpenIddict: PKCE, client, redirect URI, lifetime) keeps its claims.
            var result = await context.AuthenticateAsync(scheme);
            if (result.Principal is null || !await redeemed.TryRedeemAsync(request.Code!, context.RequestAborted))
            {
                return Refuse(Errors.InvalidGrant, "The authorization code is no longer valid.");
            }

            return Results.SignIn(result.Principal, null, scheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");

        static IResult Refuse(string error, string description) => Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [scheme]);
    }

    /// <summary>Ends the Identity session, then OpenIddict sends the browser to the validated post-logout address.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(IdentityPrincipals.SessionScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
