namespace Permits.Shared.Security;

/// <summary>
/// The one check for a return URL (登录后返回的页面) that the Portal and Identity redirect to: a path on this site, or
/// <c>/</c>. Browsers drop TAB, LF and CR inside URLs and read <c>\</c> as <c>/</c>, so <c>/&lt;TAB&gt;/evil.example</c>
/// and <c>/\evil.example</c> become <c>//evil.example</c>, another site; and a control character in a <c>Location</c>
/// header fails the response. So: a single leading <c>/</c>, then no <c>//</c>, no backslash, no whitespace or control
/// character anywhere (encoded forms of them included, as some servers and proxies decode them once more).
/// </summary>
public static class LocalUrl
{
    public const string Home = "/";

    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || url.Length > 4096 || !IsPlain(url))
        {
            return false;
        }

        // The path decides where a browser goes; once more decoded, %09, %5C and %2F%2F are the same tricks one layer
        // down. (The query may carry encoded URLs, such as OpenID Connect's redirect_uri: it is not decoded.)
        var path = url[..(url.IndexOfAny(['?', '#']) is var end and >= 0 ? end : url.Length)];
        var decoded = Uri.UnescapeDataString(path);
        return !path.Contains("//", StringComparison.Ordinal) &&
               decoded.StartsWith('/') && !decoded.Contains("//", StringComparison.Ordinal) && IsPlain(decoded);
    }

    /// <summary>The URL when it is local, otherwise the home page.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : Home;

    private static bool IsPlain(string url) =>
        !url.Contains('\\') &&
        !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u200B' or '\u2028' or '\u2029' or '\uFEFF');
}
