using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Permits.Shared.Security;

namespace Permits.Disclosure.Platforms;

/// <summary>
/// OAuth2 client credentials: a platform presents an access token from the Identity service (audience
/// permits-disclosure, scope <c>disclosure.read</c>, a <c>province</c> claim). <see cref="PlatformTokens"/> validated
/// it before the call; this reads the client id and the province. Rate limits and quotas stay keyed by client id.
/// </summary>
public sealed class TokenCallerResolver : IPlatformCallerResolver
{
    public const string Scope = PermitsScopes.DisclosureRead;

    public CallerResolution Resolve(HttpContext context)
    {
        if (PlatformTokens.Read(context) is not { } result)
        {
            return CallerResolution.Unauthenticated("缺少平台访问令牌（Authorization: Bearer，OAuth2 客户端凭据模式）");
        }

        if (result.Principal is not { } user)
        {
            return CallerResolution.Unauthenticated("访问令牌无效（已过期、签名不符或不是本接口的令牌）");
        }

        var caller = CallerIdentity.From(user);
        if (!caller.HasScope(Scope))
        {
            return CallerResolution.Forbidden($"令牌缺少权限范围 {Scope}");
        }

        var clientId = user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value ?? caller.Subject;
        if (string.IsNullOrEmpty(clientId) || caller.Province is not { Length: 2 } province || !caller.IsInRole(PermitsRoles.Platform))
        {
            return CallerResolution.Forbidden("令牌不是省级平台的令牌（缺少客户端标识、平台角色或省份 province 声明）");
        }

        return CallerResolution.Of(new PlatformCaller(clientId, province));
    }
}

/// <summary>
/// Validates the bearer token of open-data calls (gRPC service OpenData and /open-data/ over REST) with the
/// PermitsBearer scheme and keeps the outcome for <see cref="TokenCallerResolver"/>. Kept apart from
/// <c>HttpContext.User</c>, which in the embedded host belongs to the Portal's cookie.
/// </summary>
public static class PlatformTokens
{
    private static readonly object Key = new();

    /// <summary>Null when the request carried no bearer token; otherwise the validation outcome (principal or failure).</summary>
    public static PlatformTokenResult? Read(HttpContext context) => context.Items[Key] as PlatformTokenResult;

    public static bool IsOpenData(PathString path) =>
        path.StartsWithSegments("/permits.disclosure.v1.OpenData", StringComparison.Ordinal)
        || path.StartsWithSegments("/open-data", StringComparison.Ordinal);

    internal static async Task AuthenticateAsync(HttpContext context, Func<Task> next)
    {
        if (IsOpenData(context.Request.Path) && context.Request.Headers.Authorization.Count > 0)
        {
            var result = await context.AuthenticateAsync(PermitsAuthentication.Scheme);
            context.Items[Key] = new PlatformTokenResult(result.Succeeded ? result.Principal : null);
        }

        await next();
    }

    /// <summary>Runs <see cref="AuthenticateAsync"/> first in the pipeline.</summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) => AuthenticateAsync(context, () => nextMiddleware(context)));
            next(app);
        };
    }
}

public sealed record PlatformTokenResult(ClaimsPrincipal? Principal);

public static class PlatformTokensExtensions
{
    /// <summary>Platforms authenticate with tokens from Identity (Identity:Authority or pinned Identity:SigningKeys).</summary>
    public static WebApplicationBuilder AddPlatformTokens(this WebApplicationBuilder builder)
    {
        builder.AddPermitsAuthentication(PermitsAudiences.Disclosure);
        builder.Services.AddSingleton<IStartupFilter, PlatformTokens.StartupFilter>();
        builder.Services.AddSingleton<IPlatformCallerResolver, TokenCallerResolver>();
        return builder;
    }
}
