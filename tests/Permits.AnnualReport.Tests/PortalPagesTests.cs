using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Reports.Tests;

/// <summary>
/// The Portal's report pages against the real Disclosure service: the clerk prepares and publishes in the officer
/// pages (signed in the way the Portal's cookie carries them after Identity's sign-in, with a real signed access token
/// the service checks); anyone reads the published report as a page, a PDF and JSON.
/// </summary>
public sealed partial class When_the_clerk_uses_the_report_pages(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private PortalUnderTest _portal = null!;

    public async Task InitializeAsync() =>
        _portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Disclosure"] = fixture.Host.GrpcUrl });

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Should_save_the_entries_then_publish_and_show_the_report_to_everyone()
    {
        using var clerk = Browser(ReportHost.Haiyan, PermitsRoles.DisclosureClerk);
        var page = await clerk.GetStringAsync("/officer/annual-reports?year=2024");
        Assert.Contains("海盐县烟草专卖局2024年度政府信息公开工作年度报告", page);
        Assert.Contains("缺少来源说明", page);

        var form = Form(page, "2024");
        form["active.penalties.decisions"] = "12";
        using var saved = await clerk.PostAsync("/officer/annual-reports?handler=Save&year=2024", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        page = await clerk.GetStringAsync("/officer/annual-reports?year=2024");
        Assert.Contains("全部校验通过", page);
        var hash = DraftHash().Match(page).Groups[1].Value;
        using var published = await clerk.PostAsync("/officer/annual-reports?handler=Publish&year=2024", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Matches(page)[^1].Groups[1].Value,
            ["draftHash"] = hash,
        }));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.EndsWith("/reports/330424/2024/1", published.Headers.Location!.ToString());

        using var anyone = Browser(null);
        var list = await anyone.GetStringAsync("/reports?county=330424");
        var report = await anyone.GetStringAsync("/reports/330424/2024");
        using var pdf = await anyone.GetAsync("/reports/330424/2024/1/pdf");
        using var json = JsonDocument.Parse(await anyone.GetStringAsync("/reports/330424/2024/1/json"));
        using var css = await anyone.GetAsync("/reports/report.css");

        Assert.Contains("海盐县烟草专卖局2024年度政府信息公开工作年度报告", list);
        Assert.Contains("<td class=\"num\">12</td>", report);
        Assert.Contains("rowspan=\"22\"", report);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(12, json.RootElement.GetProperty("report").GetProperty("active").GetProperty("penalties").GetProperty("decisions").GetInt32());
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Should_show_why_a_publication_was_refused()
    {
        using var clerk = Browser(ReportHost.Haiyan, PermitsRoles.DisclosureClerk);
        var page = await clerk.GetStringAsync("/officer/annual-reports?year=2023");

        using var refused = await clerk.PostAsync("/officer/annual-reports?handler=Publish&year=2023", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Matches(page)[^1].Groups[1].Value,
            ["draftHash"] = DraftHash().Match(page).Groups[1].Value,
        }));
        var body = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("未能发布：报告未通过以下校验", body);
        Assert.Contains("缺少来源说明：“第二十条第（一）项 规章”须注明数据来源", body);
    }

    [Fact]
    public async Task Should_fill_a_section_with_the_draft_written_from_the_figures()
    {
        using var clerk = Browser(ReportHost.Haiyan, PermitsRoles.DisclosureClerk);
        var page = await clerk.GetStringAsync("/officer/annual-reports?year=2022");
        var form = Form(page, "2022");

        using var suggested = await clerk.PostAsync("/officer/annual-reports?handler=Suggest&year=2022&section=overview", new FormUrlEncodedContent(form));
        page = await clerk.GetStringAsync("/officer/annual-reports?year=2022");

        Assert.Equal(HttpStatusCode.Redirect, suggested.StatusCode);
        Assert.Matches("<textarea[^>]*name=\"overview\"[^>]*>2022年，海盐县烟草专卖局认真贯彻", page);
        Assert.Contains("2022年 problems", page);
    }

    [Fact]
    public async Task Should_keep_officers_without_the_disclosure_role_out()
    {
        using var licenceClerk = Browser(ReportHost.Haiyan, PermitsRoles.Clerk);

        using var response = await licenceClerk.GetAsync("/officer/annual-reports");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, response.StatusCode.ToString());
    }

    /// <summary>Every named field of the entry form, as the browser would post it.</summary>
    private static Dictionary<string, string> Form(string page, string year)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value };
        foreach (Match input in Input().Matches(page))
        {
            form[WebUtility.HtmlDecode(input.Groups[1].Value)] = WebUtility.HtmlDecode(input.Groups[2].Value);
        }

        foreach (var name in new[] { "overview", "problems", "other_matters" })
        {
            form[name] = $"{year}年 {name}";
        }

        foreach (var key in form.Keys.Where(k => k.EndsWith(".source", StringComparison.Ordinal)).ToList())
        {
            form[key] = "本局台账";
        }

        return form;
    }

    /// <summary>A browser whose Portal session is this officer (or nobody), calling the services with their access token.</summary>
    private HttpClient Browser(string? county, params string[] roles) =>
        county is null ? _portal.Anonymous() : _portal.Officer(PermitsAudiences.Disclosure, county, roles);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<input[^>]* name=\"(active\\.[a-z_]+\\.[a-z_]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Input();

    [GeneratedRegex("name=\"draftHash\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex DraftHash();
}
