using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Permits.Contracts.Intake.V1;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// The officer pages of the Portal, driven over HTTP as a browser without JavaScript would (forms, redirects,
/// antiforgery tokens), on the embedded system.
/// </summary>
public sealed partial class When_an_officer_works_the_queue_in_the_portal : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "permits-officer-pages", Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private Applications.ApplicationsClient _intake = null!;

    public async Task InitializeAsync()
    {
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        var portal = $"http://127.0.0.1:{FreePort.Next()}";
        _app = EmbeddedHost.Build([], new Dictionary<string, string?>
        {
            ["urls"] = portal,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = _data,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Demo:Seed"] = "false",
        });
        await _app.StartAsync();
        _intake = new Applications.ApplicationsClient(Channels.For(grpc));
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(portal) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static readonly Dictionary<string, string> Clerk = new() { ["county"] = "330424", ["officer"] = "clerk-01", ["role"] = "clerk" };
    private static readonly Dictionary<string, string> Head = new() { ["county"] = "330424", ["officer"] = "head-01", ["role"] = "head" };
    private static readonly Dictionary<string, string> Inspector = new() { ["county"] = "330424", ["officer"] = "inspector-01", ["role"] = "inspector" };

    [Fact]
    public async Task Should_claim_request_a_correction_accept_and_approve_confirming_each_step()
    {
        var first = await _intake.SubmitAsync(SampleApplications.Individual());
        var second = await _intake.SubmitAsync(SampleApplications.Enterprise());
        var queue = await Eventually.GetAsync(
            async () => await GetAsync("/officer?" + Query(Clerk)),
            page => page.Contains(first.ApplicationNumber) && page.Contains(second.ApplicationNumber),
            TimeSpan.FromSeconds(30), "both applications in the queue");
        Assert.Contains("待受理：2 件", Text(queue));

        // Take the nearest deadline: the first application.
        var (claimedUrl, claimed) = await PostAsync("/officer?handler=ClaimNext", Clerk, queue);
        Assert.Contains("已领取期限最近的案件", Text(claimed));
        Assert.Contains(first.ApplicationNumber, Text(claimed));
        var firstCase = CaseUrl().Match(claimedUrl).Value;

        var (_, corrected) = await PostAsync($"{firstCase}?handler=Correction",
            new(Clerk) { ["items"] = "场所使用证明：租赁合同缺少出租方签章\n身份证明：复印件不清晰" }, claimed);
        Assert.Contains("已出具补正材料告知书", Text(corrected));
        Assert.Contains("共 2 项", Text(corrected));
        Assert.Contains("待补正", Text(corrected));

        // The second: accepted by the clerk; an inspector may not approve; the head approves.
        var secondPage = await GetAsync(await LinkToAsync(second.ApplicationNumber));
        var secondCase = CaseUrl().Match(await LinkToAsync(second.ApplicationNumber)).Value;
        var (_, accepted) = await PostAsync($"{secondCase}?handler=Accept", Clerk, secondPage);
        Assert.Contains("已受理", Text(accepted));
        Assert.Contains("许受", Text(accepted));

        var (_, refused) = await PostAsync($"{secondCase}?handler=Approve", Inspector, accepted);
        Assert.Contains("未能办理：“核查”岗位不能准予行政许可", Text(refused));

        var (_, approved) = await PostAsync($"{secondCase}?handler=Approve", Head, refused);
        Assert.Contains("已准予许可，准予行政许可决定书文号", Text(approved));
        Assert.Contains("已准予许可", Text(approved));
    }

    [Fact]
    public async Task Should_show_the_layout_check_for_a_site()
    {
        var submitted = await _intake.SubmitAsync(SampleApplications.Individual());
        var link = await Eventually.GetAsync(
            async () => { try { return await LinkToAsync(submitted.ApplicationNumber); } catch (InvalidOperationException) { return null; } },
            _ => true, TimeSpan.FromSeconds(30), "the case in the queue");

        var page = Text(await GetAsync($"{link}&lat=30.52715&lon=120.94425"));

        Assert.Contains("不符合合理布局规定", page);
        Assert.Contains("海盐县实验小学（学校）：19 米", page);
    }

    private async Task<string> LinkToAsync(string applicationNumber)
    {
        var queue = await GetAsync("/officer?" + Query(Clerk));
        var match = Regex.Match(queue, $"href=\"(/officer/case/[^\"]+)\">{Regex.Escape(applicationNumber)}<");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"{applicationNumber} is not in the queue.");
    }

    private async Task<string> GetAsync(string url) => await _http.GetStringAsync(url);

    /// <summary>Posts a form with the antiforgery token of the page it is on, following the redirect (POST-redirect-GET).</summary>
    private async Task<(string Url, string Page)> PostAsync(string url, Dictionary<string, string> fields, string fromPage)
    {
        var token = Token().Match(fromPage);
        Assert.True(token.Success, "the page has no form to post");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        using var response = await _http.PostAsync(url, new FormUrlEncodedContent(form));
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}");
        return (response.RequestMessage!.RequestUri!.PathAndQuery, await response.Content.ReadAsStringAsync());
    }

    private static string Query(Dictionary<string, string> fields) =>
        string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));

    private static string Text(string page)
    {
        var main = Regex.Match(page, "<main.*?</main>", RegexOptions.Singleline).Value;
        return WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(main, "<[^>]+>", " "), @"\s+", " "));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("/officer/case/[0-9a-f-]{36}")]
    private static partial Regex CaseUrl();
}
