using System.Net;

namespace Permits.Identity.Tests;

public sealed class When_a_shopkeeper_signs_in_to_the_portal : IdentityAndPortal
{
    [Fact]
    public async Task Should_come_back_signed_in_with_a_sign_out_button()
    {
        const string phone = "13500004444";
        using var browser = new Browser(Identity);
        var (_, _, before) = await browser.FollowAsync(PortalUrl + "/");
        Assert.Contains(">登录</a>", before);

        await browser.OpenSignInAsync(PortalUrl + "/signin?kind=applicant&returnUrl=%2F");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendCodeAsync(phone)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync(phone, (await Identity.LatestCodeAsync(phone))!)).Status);

        var (landed, status, page) = await browser.FollowAsync(browser.PendingReturnUrl);
        Assert.True(status == HttpStatusCode.OK, $"{landed} answered {status}: {page}");
        Assert.Equal(PortalUrl + "/", landed.ToString());
        Assert.Contains("手机尾号 4444 的用户", page);
        Assert.Contains(">退出</button>", page);
    }
}
