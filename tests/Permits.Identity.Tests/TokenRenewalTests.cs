using System.Net;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Permits.Contracts.Identity.V1;
using Permits.Portal.Security;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Identity.Tests;

/// <summary>
/// The Portal holds a five-minute access token (Identity:AccessTokenMinutes) and renews it with a refresh token that
/// lives on the Identity session: time is moved past the token's end on both clocks, never waited for.
/// </summary>
public sealed class When_the_portals_access_token_runs_out : IdentityAndPortal
{
    /// <summary>Past the default five minutes of an access token, and past the Portal's 15-second session check.</summary>
    private static readonly TimeSpan PastTheToken = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Should_renew_it_and_keep_the_officer_signed_in()
    {
        using var browser = new Browser(Identity);
        await SignInToPortalAsync(browser, "hy-clerk");
        var signedIn = PortalTicket(browser)!.Properties;
        var first = signedIn.GetTokenValue("access_token")!;
        Assert.Equal(300, Lifetime(first));
        Assert.False(string.IsNullOrEmpty(signedIn.GetTokenValue("refresh_token")));

        for (var renewal = 1; renewal <= 3; renewal++)
        {
            Shift(PastTheToken);
            Assert.Equal(PortalStart.Queue, await StartPageAsync(browser));
            var renewed = PortalTicket(browser)!.Properties.GetTokenValue("access_token")!;
            // Both clocks run on real time plus the shift: the renewal is at least the shifts later, and at most the
            // test's own running time more.
            Assert.InRange(Claim(renewed, "iat") - Claim(first, "iat"), renewal * (long)PastTheToken.TotalSeconds, renewal * (long)PastTheToken.TotalSeconds + 60);
            Assert.Equal(300, Lifetime(renewed));
            Assert.Equal(["clerk"], IdentityHost.Values(IdentityHost.Payload(renewed), "role"));
        }
    }

    [Fact]
    public async Task Should_renew_a_shopkeepers_token_with_the_claims_of_their_sign_in()
    {
        const string phone = "13500007777";
        using var browser = new Browser(Identity);
        await browser.OpenSignInAsync(PortalUrl + "/signin?kind=applicant&returnUrl=%2F");
        await browser.SendCodeAsync(phone);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync(phone, (await Identity.LatestCodeAsync(phone))!)).Status);
        await browser.FollowAsync(browser.PendingReturnUrl);
        var first = PortalTicket(browser)!.Properties.GetTokenValue("access_token")!;

        Shift(PastTheToken);
        Assert.Equal(PortalStart.MyApplications, await StartPageAsync(browser));
        var renewed = IdentityHost.Payload(PortalTicket(browser)!.Properties.GetTokenValue("access_token")!);
        Assert.InRange(renewed.GetProperty("iat").GetInt64() - Claim(first, "iat"), (long)PastTheToken.TotalSeconds, (long)PastTheToken.TotalSeconds + 60);
        Assert.Equal(phone, renewed.GetProperty("phone_number").GetString());
        Assert.Equal(IdentityHost.Payload(first).GetProperty("sub").GetString(), renewed.GetProperty("sub").GetString());
        Assert.Equal([PermitsRoles.Applicant], IdentityHost.Values(renewed, "role"));
    }

    [Fact]
    public async Task Should_give_a_role_change_at_the_next_renewal()
    {
        using var browser = new Browser(Identity);
        await SignInToPortalAsync(browser, "hy-clerk");
        Assert.Equal(PortalStart.Queue, await StartPageAsync(browser));

        await Accounts.SetOfficerRolesAsync(new SetOfficerRolesRequest { Username = "hy-clerk", Roles = { PermitsRoles.DisclosureClerk } }, Admin);
        Shift(PastTheToken);

        // The Portal's pages follow the new role, and so do the services (the renewed access token).
        Assert.Equal(PortalStart.DisclosureDesk, await StartPageAsync(browser));
        var renewed = PortalTicket(browser)!.Properties.GetTokenValue("access_token")!;
        Assert.Equal([PermitsRoles.DisclosureClerk], IdentityHost.Values(IdentityHost.Payload(renewed), "role"));
        Assert.Equal("330424", IdentityHost.Payload(renewed).GetProperty("county").GetString());
    }

    [Fact]
    public async Task Should_refuse_a_deactivated_officers_renewal_and_sign_them_out()
    {
        using var browser = new Browser(Identity);
        await SignInToPortalAsync(browser, "hy-clerk");
        var refreshToken = PortalTicket(browser)!.Properties.GetTokenValue("refresh_token")!;
        using (var renewed = await RefreshAsync(refreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        }

        await Accounts.DeactivateOfficerAccountAsync(new OfficerAccountRequest { Username = "hy-clerk" }, Admin);

        using (var refused = await RefreshAsync(refreshToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("invalid_grant", body.RootElement.GetProperty("error").GetString());
        }

        Shift(PastTheToken);
        Assert.Equal("/", await StartPageAsync(browser));
        Assert.Null(PortalTicket(browser));
    }

    [Fact]
    public async Task Should_refuse_a_renewal_after_sign_out_and_for_another_client()
    {
        using var browser = new Browser(Identity);
        await SignInToPortalAsync(browser, "hy-head");
        var refreshToken = PortalTicket(browser)!.Properties.GetTokenValue("refresh_token")!;

        // Not the Portal's: a client that stole the token cannot use it.
        using (var stolen = await Identity.TokenAsync(("grant_type", "refresh_token"), ("client_id", IdentityHost.ClientId),
                   ("client_secret", IdentityHost.ClientSecret), ("refresh_token", refreshToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        }

        using var home = await browser.GetAsync(PortalUrl + "/");
        using (var signOut = await browser.PostFormAsync(PortalUrl + "/signout",
                   ("__RequestVerificationToken", Antiforgery(await home.Content.ReadAsStringAsync()))))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var refused = await RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("invalid_grant", await refused.Content.ReadAsStringAsync());
    }

    private OfficerAccounts.OfficerAccountsClient Accounts => new(Identity.Channel);

    private Metadata Admin => new()
    {
        {
            "Authorization", "Bearer " + Tokens.Mint(PermitsAudiences.Identity, "o-hy-admin", "海盐县系统管理员", [PermitsRoles.SystemAdmin],
                new() { ["county"] = "330424" }, issuer: Identity.Url)
        },
    };

    /// <summary>The Portal's 登录 as an officer, through Identity's officer page, back to the Portal with its cookie.</summary>
    private async Task SignInToPortalAsync(Browser browser, string username)
    {
        var (at, status, page) = await browser.FollowAsync(PortalUrl + "/signin?kind=officer&returnUrl=%2F");
        Assert.True(status == HttpStatusCode.OK && at.AbsolutePath == "/account/officer", $"{at} answered {(int)status}");
        using var posted = await browser.PostFormAsync(Identity.Url + "account/officer", ("__RequestVerificationToken", Antiforgery(page)),
            ("returnUrl", ReturnUrlOf(page)), ("username", username), ("password", OfficerSignIn.Password));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await browser.FollowAsync(new Uri(new Uri(Identity.Url), posted.Headers.Location!).ToString());
        Assert.NotNull(PortalTicket(browser));
    }

    /// <summary>Where the Portal's start link sends the browser: the person's start page, or home when signed out.</summary>
    private async Task<string> StartPageAsync(Browser browser)
    {
        using var response = await browser.GetAsync(PortalUrl + PortalStart.Path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        Identity.TokenAsync(("grant_type", "refresh_token"), ("client_id", "portal"), ("client_secret", IdentityHost.PortalSecret),
            ("refresh_token", refreshToken));

    private static long Claim(string jwt, string name) => IdentityHost.Payload(jwt).GetProperty(name).GetInt64();

    private static long Lifetime(string jwt) => Claim(jwt, "exp") - Claim(jwt, "iat");
}

public sealed class When_a_token_comes_without_a_refresh_token : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync(withSms: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_keep_the_longer_lifetime_and_never_get_a_refresh_token_by_password()
    {
        var payload = IdentityHost.Payload(await _host.OfficerTokenAsync("hy-clerk"));
        Assert.Equal(3600, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());

        using var offline = await _host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
            ("client_secret", IdentityHost.ClientSecret), ("username", "hy-clerk"), ("password", OfficerSignIn.Password),
            ("scope", "openid permits offline_access"));
        Assert.Equal(HttpStatusCode.BadRequest, offline.StatusCode);
        Assert.Contains("invalid_scope", await offline.Content.ReadAsStringAsync());
    }
}
