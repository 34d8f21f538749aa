using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Embedded;
using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>
/// One embedded system for the officer desk's page tests (the queue, the board, the start pages, the error pages),
/// driven over HTTP as a browser would: officers sign in through the Portal's 登录 and Identity's officer page, cases
/// come from shopkeepers' submissions and are moved along by the officers' own gRPC calls. Tests share it and tell
/// their cases apart by a shop name of their own.
/// </summary>
public sealed partial class OfficerDesk : IAsyncLifetime
{
    public const string County = "330424";

    private readonly string _data = TestData.NewFolder("officer-desk");
    private WebApplication _app = null!;
    private Applications.ApplicationsClient _intake = null!;
    private OfficerSignIn _tokens = null!;
    private int _phone;

    private readonly EmbeddedSettings _system = new();

    public string PortalUrl => _system.PortalUrl;

    public string GrpcUrl => _system.GrpcUrl;

    public Cases.CasesClient Review { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The desk is about the officers' pages: applications come without materials.
        _app = EmbeddedHost.Build([], _system.For(_data, [new("Intake:Materials:Required", "false")]));
        await _app.StartAsync();
        _intake = new Applications.ApplicationsClient(Channels.For(GrpcUrl));
        Review = new Cases.CasesClient(Channels.For(GrpcUrl));
        _tokens = new OfficerSignIn(PortalUrl);
    }

    public async Task DisposeAsync()
    {
        _tokens.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A shopkeeper's 新办 for a shop of this name (each with its own mobile number); its case once Review has it.</summary>
    public async Task<Case> SubmitAsync(string businessName)
    {
        var phone = "1370057" + Interlocked.Increment(ref _phone).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        var request = SampleApplications.Individual(County);
        request.BusinessName = businessName;
        request.ContactPhone = phone;
        request.Delivery.RecipientPhone = phone;
        var submitted = await _intake.SubmitAsync(request, await DemoApplicants.HeadersAsync(_app.Services, phone, CancellationToken.None));
        var clerk = await AsAsync("hy-clerk");
        return await Eventually.GetAsync(
            async () => (await Review.ListQueueAsync(
                    new ListQueueRequest { Search = submitted.ApplicationNumber, Step = "all", PageSize = 5 }, clerk))
                .Cases.FirstOrDefault(c => c.ApplicationNumber == submitted.ApplicationNumber),
            _ => true, TimeSpan.FromSeconds(30), $"the case of {submitted.ApplicationNumber} in Review");
    }

    /// <summary>受理 by the clerk (claim, then accept): the case goes on to 待核查.</summary>
    public async Task AcceptAsync(Case item)
    {
        var clerk = await AsAsync("hy-clerk");
        await Review.ClaimAsync(new CaseActionRequest { CaseId = item.CaseId }, clerk);
        await Review.AcceptAsync(new CaseActionRequest { CaseId = item.CaseId }, clerk);
    }

    /// <summary>gRPC headers with the demo officer's own access token.</summary>
    public async Task<Metadata> AsAsync(string username) =>
        new() { { "Authorization", "Bearer " + await _tokens.TokenAsync(username) } };

    public async Task<string> OfficerIdAsync(string username) => OfficerSignIn.Subject(await _tokens.TokenAsync(username));

    /// <summary>
    /// A browser session signed in as a demo officer through the Portal's 登录 (with <paramref name="returnUrl"/> when
    /// given) and Identity's officer page; returns it with the path it landed on.
    /// </summary>
    public async Task<(HttpClient Browser, string Landed)> SignInAsync(string username, string? returnUrl = null)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(PortalUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var start = "/signin?kind=officer" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var signInPage = await browser.GetAsync(start);
        var html = await signInPage.Content.ReadAsStringAsync();
        Assert.True(signInPage.IsSuccessStatusCode, $"the sign-in page answered {(int)signInPage.StatusCode}");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AnyToken().Match(html).Groups[1].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrl().Match(html).Groups[1].Value),
            ["username"] = username,
            ["password"] = OfficerSignIn.Password,
        };
        using var signedIn = await browser.PostAsync(new Uri(signInPage.RequestMessage!.RequestUri!, "/account/officer"), new FormUrlEncodedContent(form));
        Assert.True(signedIn.IsSuccessStatusCode, $"signing in {username} answered {(int)signedIn.StatusCode}");
        return (browser, signedIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    /// <summary>Posts a form with the antiforgery token of the page it is on, following the redirect (POST-redirect-GET).</summary>
    public static async Task<string> PostAsync(HttpClient browser, string url, IEnumerable<KeyValuePair<string, string>> fields, string fromPage) =>
        (await PortalForms.PostAsync(browser, url, fields, fromPage)).Page;

    /// <summary>The text of the page's main part (header and footer left out), tags removed and entities decoded.</summary>
    public static string Text(string page) => PortalForms.Text(page);

    /// <summary>The queue's row of an application (from its 申请编号 link to the end of the row), as text.</summary>
    public static string Row(string page, string applicationNumber)
    {
        var row = Regex.Match(page, $"<tr[^>]*>(?:(?!</tr>).)*>{Regex.Escape(applicationNumber)}</a>.*?</tr>", RegexOptions.Singleline);
        return row.Success ? Text("<main>" + row.Value + "</main>") : "";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AnyToken();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrl();
}

[CollectionDefinition(Name)]
public sealed class OfficerDeskCollection : ICollectionFixture<OfficerDesk>
{
    public const string Name = "officer desk";
}
