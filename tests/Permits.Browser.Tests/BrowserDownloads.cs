using System.Net;

namespace Permits.Browser.Tests;

/// <summary>Fetches a Portal URL with the current browser's cookies (its sign-in), to check a download's headers and bytes.</summary>
public static class BrowserDownloads
{
    public static async Task<HttpResponseMessage> FetchAsync(this Browser b, string path, bool withCookies = true)
    {
        var cookies = new CookieContainer();
        var portal = new Uri(b.PortalUrl);
        if (withCookies)
        {
            foreach (var cookie in b.Driver.Manage().Cookies.AllCookies)
            {
                cookies.Add(portal, new Cookie(cookie.Name, cookie.Value, "/"));
            }
        }

        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(20) };
        var response = await http.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
