using System.Net;
using System.Text.RegularExpressions;
using Permits.Contracts.Certificate.V1;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// The Portal's licence pages, server-rendered, against real Intake and Certificate services. People are signed in the
/// way the Portal's cookie carries them after Identity's sign-in (their claims and their access token), minted here
/// in-process; the access tokens are real signed JWTs that the services check.
/// </summary>
public sealed partial class When_someone_uses_the_licence_pages : IAsyncLifetime
{
    private const string Wang = "13800571234";
    private const string Li = "13900572345";
    private IntakeServer _intake = null!;
    private CertificateHost _certificates = null!;
    private PortalUnderTest _portal = null!;

    public async Task InitializeAsync()
    {
        _intake = await IntakeServer.StartAsync();
        _certificates = await CertificateHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Services:Intake:Url"] = _intake.GrpcUrl }, extraAudiences: ["permits-intake"]);
        _portal = await PortalUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Certificate"] = _certificates.GrpcUrl,
            ["Intake"] = _intake.GrpcUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _certificates.DisposeAsync();
        await _intake.DisposeAsync();
    }

    /// <summary>A browser whose Portal session is this person, calling the services with this access token.</summary>
    private HttpClient Browser(string? accessToken, params (string Type, string Value)[] claims) => _portal.Browser(accessToken, claims);

    private HttpClient Officer(string county, params string[] roles) => _portal.Officer("permits-certificate", county, roles);

    private HttpClient Shopkeeper(string phone) => Browser(
        Tokens.Applicant(phone), ("sub", "applicant-" + phone), ("name", "申请人"), ("role", "applicant"), ("phone_number", phone));

    [Fact]
    public async Task Should_show_a_genuine_valid_licence_from_its_token_and_its_number_to_anyone()
    {
        var number = (await _certificates.IssueAsync(CertificateHost.Approval()))!;
        var token = (await _certificates.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Token;
        using var browser = Browser(null);

        var byToken = await browser.GetStringAsync($"/verify?token={Uri.EscapeDataString(token)}");
        var byNumber = await browser.GetStringAsync($"/verify?number={number}");

        Assert.Contains("真实：发证机关签名核验通过", byToken);
        Assert.Contains("<strong>有效</strong>", byToken);
        Assert.Contains("海盐县武原街道便民烟杂店", byToken);
        Assert.DoesNotContain("张三", byToken);
        Assert.Contains(number, byNumber);
        Assert.Contains("<strong>有效</strong>", byNumber);
    }

    [Fact]
    public async Task Should_name_the_field_when_the_number_is_wrong()
    {
        using var browser = Browser(null);

        var page = await browser.GetStringAsync("/verify?number=12345");

        Assert.Contains("许可证号应为 12 位数字", page);
        Assert.Contains("<title>错误：", page);
    }

    [Fact]
    public async Task Should_show_the_shopkeeper_their_licence_on_their_application_page_and_let_only_them_download_it()
    {
        var submitted = await _intake.SubmitAsync(Wang);
        var approval = CertificateHost.Approval() with
        {
            ApplicationId = Guid.Parse(submitted.ApplicationId),
            ApplicationNumber = submitted.ApplicationNumber,
        };
        var number = (await _certificates.IssueAsync(approval))!;
        // Intake learns the number from CertificateIssued; this test has no bus between the two, so it is told directly.
        await _intake.PublishIssuedAsync(approval.ApplicationId, approval.ApplicationNumber, number, Wang);
        using var wang = Shopkeeper(Wang);
        using var li = Shopkeeper(Li);
        using var nobody = Browser(null);

        var page = await wang.GetStringAsync($"/my/{submitted.ApplicationId}");
        using var pdf = await wang.GetAsync($"/licences/{number}/pdf");
        using var json = await wang.GetAsync($"/licences/{number}/json");
        using var stranger = await li.GetAsync($"/licences/{number}/pdf");
        using var anonymous = await nobody.GetAsync($"/licences/{number}/pdf");

        Assert.Contains("电子许可证", page);
        Assert.Contains(number, page);
        Assert.Contains("第 1 版", page);
        Assert.Contains($"href=\"/licences/{number}/pdf\"", page);
        Assert.Contains($"href=\"/licences/{number}/json\"", page);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Contains("只有持证人本人或发证县的工作人员", await stranger.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location?.OriginalString);
        var help = await nobody.GetStringAsync("/licences");
        Assert.Contains("只提供给持证人本人和发证县的工作人员", help);
        Assert.DoesNotContain("<form method=\"post\"", help);
    }

    [Fact]
    public async Task Should_let_officers_find_their_countys_licences_see_the_history_and_suspend_one()
    {
        var approval = CertificateHost.Approval(name: "海盐县澉浦镇便民商店");
        var number = (await _certificates.IssueAsync(approval))!;
        using var haiyan = Officer("330424", "clerk");
        using var jiashan = Officer("330421", "clerk", "head");

        var list = await haiyan.GetStringAsync("/officer/licences?q=" + Uri.EscapeDataString("澉浦"));
        var detail = await haiyan.GetStringAsync($"/officer/licences/{number}");
        var antiforgery = AntiforgeryField().Match(detail).Groups[1].Value;
        using var suspend = await haiyan.PostAsync($"/officer/licences/{number}?handler=Suspend", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["reason"] = "店面装修",
        }));
        var after = await haiyan.GetStringAsync($"/officer/licences/{number}");
        using var download = await haiyan.GetAsync($"/licences/{number}/pdf");
        using var otherCounty = await jiashan.GetAsync($"/officer/licences/{number}");
        var otherList = await jiashan.GetStringAsync("/officer/licences?q=" + number);

        Assert.Contains($"href=\"/officer/licences/{number}\"", list);
        Assert.Contains("张三", detail);
        Assert.Contains("核发", detail);
        Assert.DoesNotContain("办理变更", detail);
        Assert.Equal(HttpStatusCode.Redirect, suspend.StatusCode);
        Assert.Contains("停业（暂停使用）", after);
        Assert.Contains("店面装修", after);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, otherCounty.StatusCode);
        Assert.DoesNotContain("张三", await otherCounty.Content.ReadAsStringAsync());
        Assert.Contains("没有符合条件的许可证", otherList);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
