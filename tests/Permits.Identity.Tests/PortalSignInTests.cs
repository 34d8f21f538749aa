using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Permits.LocalInfra;
using Permits.Portal;
using Permits.Shared.Hosting;

namespace Permits.Identity.Tests;

public sealed class When_a_shopkeeper_signs_in_to_the_portal : IAsyncLifetime
{
    private readonly string _portalUrl = $"http://127.0.0.1:{FreePort.Next()}";
    private IdentityHost _identity = null!;
    private WebApplication _portal = null!;

    public async Task InitializeAsync()
    {
        _identity = await IdentityHost.StartAsync(portalUrl: _portalUrl);
        var builder = WebApplication.CreateBuilder();
        var config = new Dictionary<string, string?>
        {
            ["urls"] = _portalUrl,
            ["Identity:Authority"] = _identity.Url,
            ["Portal:ClientId"] = "portal",
            ["Portal:ClientSecret"] = IdentityHost.PortalSecret,
        };
        foreach (var service in new[] { "Intake", "Review", "Certificate", "Delivery", "Disclosure" })
        {
            config[$"Services:{service}:Url"] = "http://127.0.0.1:9"; // never called by the pages this test opens
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddServiceDefaults();
        builder.AddPortal();
        _portal = builder.Build();
        _portal.MapServiceDefaults();
        _portal.MapPortal();
        await _portal.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _portal.StopAsync();
        await _portal.DisposeAsync();
        await _identity.DisposeAsync();
    }

    [Fact]
    public async Task Should_come_back_signed_in_with_a_sign_out_button()
    {
        const string phone = "13500004444";
        using var browser = new Browser(_identity);
        var (_, _, before) = await browser.FollowAsync(_portalUrl + "/");
        Assert.Contains(">登录</a>", before);

        await browser.OpenSignInAsync(_portalUrl + "/signin?kind=applicant&returnUrl=%2F");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendCodeAsync(phone)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync(phone, (await _identity.LatestCodeAsync(phone))!)).Status);

        var (landed, status, page) = await browser.FollowAsync(browser.PendingReturnUrl);
        Assert.True(status == HttpStatusCode.OK, $"{landed} answered {status}: {page}");
        Assert.Equal(_portalUrl + "/", landed.ToString());
        Assert.Contains("手机尾号 4444 的用户", page);
        Assert.Contains(">退出</button>", page);
    }
}
