namespace Permits.Certificate.Documents;

/// <summary>
/// What the licence's QR code holds: the Portal's verification page with the signed token in its query
/// (<c>Certificate:PublicVerifyUrl</c>, e.g. https://permits.example.gov.cn/verify), so a phone camera opens the page
/// instead of showing a blob of text. The token in the URL is the whole proof: anyone can cut it out and verify it
/// offline against the published keys. Without the setting the code holds the bare token, as before.
/// </summary>
public static class LicenceQr
{
    /// <summary>The query parameter of the verification page that carries the token.</summary>
    public const string TokenParameter = "t";

    public static string Content(string token, IConfiguration configuration) =>
        configuration["Certificate:PublicVerifyUrl"] is { Length: > 0 } page
            ? $"{page}{(page.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{TokenParameter}={Uri.EscapeDataString(token)}"
            : token;

    /// <summary>The token from what a scanner read: the <c>t</c> parameter of a verification URL, or the text itself.</summary>
    public static string TokenOf(string scanned)
    {
        var text = scanned.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return text;
        }

        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0] == TokenParameter)
            {
                return Uri.UnescapeDataString(parts[1]);
            }
        }

        return text;
    }
}
