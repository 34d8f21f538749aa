using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Permits.Certificate;
using Permits.Certificate.Features;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Review;
using Permits.Embedded;
using Permits.Shared.Data;
using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>
/// Issue 16: on a 360 px phone the header's links can be read (contrast measured in Chromium), 我的办件 is one tap
/// away, and the licence's QR code, read from the rendered PDF by zbar, opens the verification page showing 真实.
/// Needs poppler-utils (pdftoppm) and zbar-tools (zbarimg).
/// </summary>
public sealed class When_a_shopkeeper_finds_their_way_on_a_phone : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public async Task InitializeAsync()
    {
        if (Browser.IsInstalled || Browser.UnderCi)
        {
            await _browser.StartAsync(360, 800, new Dictionary<string, string?>
            {
                ["Certificate:PublicVerifyUrl"] = _browser.PortalUrl + "/verify",
            });
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [BrowserFact]
    public void Should_show_the_header_links_in_readable_contrast()
    {
        var b = _browser;
        b.Go("/");
        b.Find(By.CssSelector(".site-account a"));
        AssertHeaderContrast(b, "登录", "工作人员登录");

        b.SignInAsOfficer("hy-clerk", "/officer");
        AssertHeaderContrast(b, "送达管理", "许可证管理");
    }

    [BrowserFact]
    public async Task Should_reach_my_applications_in_one_tap_from_any_page()
    {
        var b = _browser;
        // Chromium keeps a window at least 500 px wide: the phone's 360 px viewport is emulated.
        b.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = 360, ["height"] = 740, ["deviceScaleFactor"] = 2, ["mobile"] = true,
        });
        await b.SignInByCodeAsync("13800579876", "/verify");
        Assert.Equal(360L, b.Driver.ExecuteScript("return innerWidth;"));

        var link = b.Find(By.XPath("//header//a[normalize-space()='我的办件']"));
        var box = (IReadOnlyDictionary<string, object>)b.Driver.ExecuteScript(
            "const r = arguments[0].getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: r.height, right: r.right, width: innerWidth, view: innerHeight };",
            link)!;
        // Visible at once, without scrolling or opening a menu, and tall enough for a thumb.
        Assert.True(Number(box["top"]) >= 0 && Number(box["bottom"]) <= Number(box["view"]), $"我的办件 is off screen: {Describe(box)}");
        Assert.True(Number(box["right"]) <= Number(box["width"]), $"我的办件 sticks out of the 360 px screen: {Describe(box)}");
        Assert.True(Number(box["height"]) >= 24, $"我的办件 is too small to tap: {Describe(box)}");
        b.Screenshot("header-signed-in-360");

        link.Click();
        b.WaitForUrl(u => u.EndsWith("/my", StringComparison.Ordinal), "我的办件");
        b.WaitForText("我的办件");
    }

    [BrowserFact]
    public async Task Should_open_the_verification_page_from_the_licence_qr_code()
    {
        var b = _browser;
        var approval = Approval();
        string number;
        using (var scope = b.Services.CreateScope())
        {
            var database = scope.ServiceProvider.GetRequiredService<ServiceDatabase<CertificateModule>>();
            await using var session = await database.BeginAsync(CancellationToken.None);
            number = (await scope.ServiceProvider.GetRequiredService<IssueCertificate>().HandleAsync(approval, session))!;
            await session.CommitAsync(CancellationToken.None);
        }

        using var channel = Channels.For(b.GrpcUrl);
        using var signIn = new OfficerSignIn(b.PortalUrl);
        var document = await new Certificates.CertificatesClient(channel).GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number },
            new Metadata { { "Authorization", "Bearer " + await signIn.TokenAsync("hy-clerk") } });

        var scanned = Scan(b.WriteFile("licence.pdf", document.Pdf.ToByteArray()));
        Assert.Equal($"{b.PortalUrl}/verify?t={document.Token}", scanned);

        b.Driver.Navigate().GoToUrl(scanned);
        b.WaitForText("真实");
        Assert.Contains(number, b.Text);
        Assert.Contains("有效", b.Text);
        b.Screenshot("verify-from-qr-360");
    }

    private static LicenceApproved Approval()
    {
        var applicationId = Guid.NewGuid();
        return new LicenceApproved(
            applicationId, Guid.NewGuid(), $"330424-20261123-{applicationId.ToString("N")[..5]}", "330424", "IndividualBusiness",
            "海盐县武原街道扫码烟杂店", null, "张三", "浙江省嘉兴市海盐县武原街道盐湖路 1 号",
            null, "盐烟专许〔2026〕9号", "officer-1", DateTimeOffset.UtcNow.AddDays(-1), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)));
    }

    /// <summary>The licence face at 150 dpi through pdftoppm, its QR code read by zbarimg.</summary>
    private static string Scan(string pdf)
    {
        var face = Path.Combine(Path.GetDirectoryName(pdf)!, "licence-face");
        Run("pdftoppm", "-r", "150", "-png", "-singlefile", pdf, face);
        return Run("zbarimg", "--raw", "-q", face + ".png").Trim();
    }

    private static string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), $"{tool} ran over a minute");
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Every named header link's text against the colour behind it, as Chromium computes them: at least 4.5:1.</summary>
    private static void AssertHeaderContrast(Browser b, params string[] names)
    {
        var found = (IReadOnlyCollection<object>)b.Driver.ExecuteScript(ContrastScript)!;
        var ratios = found.Cast<IReadOnlyDictionary<string, object>>()
            .ToDictionary(l => (string)l["text"], l => Number(l["ratio"]));
        foreach (var name in names)
        {
            Assert.True(ratios.TryGetValue(name, out var ratio), $"no header link {name}: {string.Join("、", ratios.Keys)}");
            Assert.True(ratio >= 4.5, $"{name} has contrast {ratio:F2} against the header, below 4.5");
        }
    }

    /// <summary>WCAG relative luminance of each header link's colour and of the first opaque background behind it.</summary>
    private const string ContrastScript = """
        const rgb = s => s.match(/[\d.]+/g).map(Number);
        const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const behind = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
        return [...document.querySelectorAll('header a, header button')].map(a => {
          const f = lum(rgb(getComputedStyle(a).color)), k = lum(behind(a));
          return { text: a.textContent.trim(), ratio: (Math.max(f, k) + 0.05) / (Math.min(f, k) + 0.05) };
        });
        """;

    private static double Number(object value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyDictionary<string, object> box) => string.Join(", ", box.Select(p => $"{p.Key} {p.Value}"));
}
