using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Permits.LocalInfra;
using Permits.Portal;
using Permits.Portal.Security;
using Permits.Shared.Hosting;
using Permits.Shared.Security;

namespace Permits.Testing;

/// <summary>
/// The Portal, server-rendered, in process against the services under test. People are signed in the way the Portal's
/// cookie carries them after Identity's sign-in (their claims and their access token), minted here; the access tokens
/// are real signed JWTs the services check, and Identity itself is never reached.
/// </summary>
public sealed class PortalUnderTest : IAsyncDisposable
{
    private static readonly string[] Services = ["Intake", "Review", "Certificate", "Delivery", "Disclosure"];

    private readonly WebApplication _portal;

    private PortalUnderTest(WebApplication portal, string url)
    {
        _portal = portal;
        Url = url;
    }

    public string Url { get; }

    /// <param name="serviceUrls">The gRPC address of each service the pages call, by name (Intake, Certificate, …); the others point nowhere.</param>
    public static async Task<PortalUnderTest> StartAsync(IReadOnlyDictionary<string, string> serviceUrls)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = url,
            // Sign-in on (the officer folders need it); Identity is never reached: sessions are minted by Browser.
            ["Identity:Authority"] = nowhere,
            ["Portal:ClientSecret"] = "unused",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var service in Services)
        {
            settings[$"Services:{service}:Url"] = serviceUrls.GetValueOrDefault(service, nowhere);
        }

        // Notifications is optional in the Portal (its panels are left out without it): set only where a test gives it.
        if (serviceUrls.TryGetValue("Notifications", out var notifications))
        {
            settings["Services:Notifications:Url"] = notifications;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddPortal();
        // The browser carries a session cookie made here, with no Identity session behind it.
        builder.Services.AddSingleton<IPortalSessions, OpenSessions>();
        var portal = builder.Build();
        portal.MapServiceDefaults();
        portal.MapPortal();
        await portal.StartAsync();
        return new PortalUnderTest(portal, url);
    }

    /// <summary>A browser with no session: the public.</summary>
    public HttpClient Anonymous() => Browser(null);

    /// <summary>A browser whose Portal session is this person, calling the services with this access token.</summary>
    public HttpClient Browser(string? accessToken, params (string Type, string Value)[] claims)
    {
        var cookies = new CookieContainer();
        if (accessToken is not null)
        {
            SignIn(cookies, accessToken, claims);
        }

        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(Url),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>A browser signed in as an officer of <paramref name="county"/> with <paramref name="roles"/>, with a token for <paramref name="audience"/>.</summary>
    public HttpClient Officer(string audience, string county, params string[] roles) =>
        Browser(Tokens.OfficerFor(audience, county, roles), OfficerClaims(county, roles));

    /// <summary>Puts a session for this person into <paramref name="cookies"/> (a browser already open signs in).</summary>
    public void SignIn(CookieContainer cookies, string accessToken, params (string Type, string Value)[] claims)
    {
        var identity = new ClaimsIdentity(
            claims.Select(c => new Claim(c.Type, c.Value)), PortalSignIn.CookieScheme, PermitsClaims.Name, PermitsClaims.Role);
        var properties = new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddMinutes(30) };
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = accessToken }]);
        var options = _portal.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalSignIn.CookieScheme);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), properties, PortalSignIn.CookieScheme);
        cookies.Add(new Uri(Url), new Cookie(options.Cookie.Name!, options.TicketDataFormat.Protect(ticket)));
    }

    /// <summary>An officer's session claims: officer-{county}, 测试工作人员, the county and each role.</summary>
    public static (string Type, string Value)[] OfficerClaims(string county, params string[] roles) =>
    [
        (PermitsClaims.Subject, $"officer-{county}"), (PermitsClaims.Name, "测试工作人员"), (PermitsClaims.County, county),
        .. roles.Select(r => (PermitsClaims.Role, r)),
    ];

    public async ValueTask DisposeAsync()
    {
        await _portal.StopAsync();
        await _portal.DisposeAsync();
    }

    private sealed class OpenSessions : IPortalSessions
    {
        public Task ValidateAsync(CookieValidatePrincipalContext context) => Task.CompletedTask;

        public Task RevokeAsync(string? sessionId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
