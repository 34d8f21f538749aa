using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Permits.Shared.Security;

namespace Permits.Portal.Security;

/// <summary>The signed-in person, and their access token for calling the services on their behalf.</summary>
public static class PortalCaller
{
    public static CallerIdentity Identity(HttpContext context) => CallerIdentity.From(context.User);

    public static Task<string?> AccessTokenAsync(HttpContext context) =>
        context.GetTokenAsync(PortalSignIn.CookieScheme, "access_token");

    /// <summary>gRPC headers carrying the person's token (empty when nobody is signed in).</summary>
    public static async Task<Metadata> HeadersAsync(HttpContext context)
    {
        var headers = new Metadata();
        if (await AccessTokenAsync(context) is { Length: > 0 } token)
        {
            headers.Add("Authorization", "Bearer " + token);
        }

        return headers;
    }
}
