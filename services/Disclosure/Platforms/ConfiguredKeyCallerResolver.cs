using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Permits.Disclosure.Platforms;

/// <summary>
/// Until OAuth2 client credentials are switched on: a client sends <c>x-platform-client</c> and <c>x-platform-key</c>
/// headers (gRPC metadata), checked against <c>Disclosure:Platforms:Clients:&lt;id&gt;</c>.
/// </summary>
public sealed class ConfiguredKeyCallerResolver(IOptionsMonitor<PlatformOptions> options) : IPlatformCallerResolver
{
    public const string ClientHeader = "x-platform-client";
    public const string KeyHeader = "x-platform-key";

    public CallerResolution Resolve(HttpContext context)
    {
        var clientId = context.Request.Headers[ClientHeader].ToString();
        var key = context.Request.Headers[KeyHeader].ToString();
        if (clientId.Length == 0 || key.Length == 0)
        {
            return CallerResolution.Unauthenticated($"缺少平台凭据（{ClientHeader} / {KeyHeader}）");
        }

        if (!options.CurrentValue.Clients.TryGetValue(clientId, out var client) || client.Key.Length == 0
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(client.Key)))
        {
            return CallerResolution.Unauthenticated("平台凭据无效");
        }

        return CallerResolution.Of(new PlatformCaller(clientId, client.Province));
    }
}
