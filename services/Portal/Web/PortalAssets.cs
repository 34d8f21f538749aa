using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Permits.Portal.Web;

/// <summary>
/// The stylesheet, embedded in the assembly and served by an endpoint: in the embedded host a referenced project's
/// wwwroot is not served. The URL carries a content hash, so browsers may keep it for a year.
/// </summary>
public static class PortalAssets
{
    public const string StylesheetPath = "/assets/portal.css";

    private static readonly Lazy<(byte[] Content, string Hash)> Stylesheet = new(Load);

    public static string StylesheetUrl => $"{StylesheetPath}?v={Stylesheet.Value.Hash}";

    public static IEndpointRouteBuilder MapPortalAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(StylesheetPath, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
        {
            var (content, hash) = Stylesheet.Value;
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(content, "text/css; charset=utf-8", entityTag: new EntityTagHeaderValue($"\"{hash}\""));
        });
        return endpoints;
    }

    private static (byte[], string) Load()
    {
        using var stream = typeof(PortalAssets).Assembly.GetManifestResourceStream("portal.css")
            ?? throw new InvalidOperationException("The portal stylesheet resource is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return (content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }
}
