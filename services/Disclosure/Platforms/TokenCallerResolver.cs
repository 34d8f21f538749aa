namespace Permits.Disclosure.Platforms;

/// <summary>
/// OAuth2 client credentials: the bearer token was already validated by the authentication middleware
/// (AddPermitsAuthentication); this reads the client id, requires scope <c>disclosure.read</c> and takes the
/// <c>province</c> claim.
/// </summary>
public sealed class TokenCallerResolver : IPlatformCallerResolver
{
    public const string Scope = "disclosure.read";

    public CallerResolution Resolve(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return CallerResolution.Unauthenticated("缺少或无效的访问令牌（已过期或签名不符）");
        }

        var scopes = user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (!scopes.Contains(Scope, StringComparer.Ordinal))
        {
            return CallerResolution.Forbidden($"令牌缺少权限范围 {Scope}");
        }

        var clientId = user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value ?? user.FindFirst("sub")?.Value;
        var province = user.FindFirst("province")?.Value;
        if (string.IsNullOrEmpty(clientId) || province is not { Length: 2 })
        {
            return CallerResolution.Forbidden("令牌缺少客户端标识或省份（province）声明");
        }

        return CallerResolution.Of(new PlatformCaller(clientId, province));
    }
}
