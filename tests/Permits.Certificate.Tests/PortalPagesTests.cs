using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Permits.Contracts.Certificate.V1;
using Permits.LocalInfra;
using Permits.Portal;
using Permits.Shared.Hosting;

namespace Permits.Certificate.Tests;

/// <summary>The Portal's public verification page and the holder's download page, server-rendered, against a real Certificate service.</summary>
public sealed partial class When_someone_uses_the_licence_pages : IAsyncLifetime
{
    private CertificateHost _certificates = null!;
    private WebApplication _portal = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _certificates = await CertificateHost.StartAsync();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        var certificateUrl = _certificates.GrpcUrl;
        var unused = $"http://127.0.0.1:{FreePort.Next()}";
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["Services:Certificate:Url"] = certificateUrl,
            ["Services:Intake:Url"] = unused,
            ["Services:Review:Url"] = unused,
            ["Services:Delivery:Url"] = unused,
            ["Services:Disclosure:Url"] = unused,
        });
        builder.AddServiceDefaults();
        builder.AddPortal();
        _portal = builder.Build();
        _portal.MapServiceDefaults();
        _portal.MapPortal();
        await _portal.StartAsync();
        _browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url) };
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _portal.StopAsync();
        await _portal.DisposeAsync();
        await _certificates.DisposeAsync();
    }

    [Fact]
    public async Task Should_show_a_genuine_valid_licence_from_its_token_and_its_number()
    {
        var number = (await _certificates.IssueAsync(CertificateHost.Approval()))!;
        var token = (await _certificates.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number })).Token;

        var byToken = await _browser.GetStringAsync($"/verify?token={Uri.EscapeDataString(token)}");
        var byNumber = await _browser.GetStringAsync($"/verify?number={number}");

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
        var page = await _browser.GetStringAsync("/verify?number=12345");

        Assert.Contains("许可证号应为 12 位数字", page);
        Assert.Contains("<title>错误：", page);
    }

    [Fact]
    public async Task Should_download_the_pdf_with_the_application_and_licence_numbers()
    {
        var approval = CertificateHost.Approval();
        var number = (await _certificates.IssueAsync(approval))!;
        var form = await _browser.GetStringAsync("/licences");
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;

        using var response = await _browser.PostAsync("/licences", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["application"] = approval.ApplicationNumber,
            ["number"] = number,
            ["format"] = "pdf",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));

        using var wrong = await _browser.PostAsync("/licences", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["application"] = "330424-20261123-00000",
            ["number"] = number,
            ["format"] = "pdf",
        }));
        Assert.Contains("申请编号与许可证号不匹配", await wrong.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
