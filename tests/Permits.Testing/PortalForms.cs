using System.Net;
using System.Text.RegularExpressions;

namespace Permits.Testing;

/// <summary>
/// A browser's forms over plain HTTP, for the Portal page tests: a post carries the antiforgery token of the page it is
/// on and follows the redirect (POST-redirect-GET); a page is read as the text of its main part.
/// </summary>
public static partial class PortalForms
{
    /// <summary>Posts <paramref name="fields"/> (a name may repeat, as ticked boxes do) from <paramref name="fromPage"/>.</summary>
    /// <returns>Where the browser ended up (path and query) and that page.</returns>
    public static async Task<(string Url, string Page)> PostAsync(
        HttpClient browser, string url, IEnumerable<KeyValuePair<string, string>> fields, string fromPage)
    {
        var token = AntiforgeryToken().Match(fromPage);
        if (!token.Success)
        {
            throw new InvalidOperationException($"posting to {url}: the page has no form to post");
        }

        using var response = await browser.PostAsync(url, new FormUrlEncodedContent(
            fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)))));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
        }

        return (response.RequestMessage!.RequestUri!.PathAndQuery, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The text of the page's main part (header and footer left out), tags removed and entities decoded.</summary>
    public static string Text(string page)
    {
        var main = Regex.Match(page, "<main.*?</main>", RegexOptions.Singleline).Value;
        return WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(main, "<[^>]+>", " "), @"\s+", " "));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
