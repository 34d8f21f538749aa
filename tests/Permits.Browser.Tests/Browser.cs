using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Permits.Embedded;

using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>
/// Debian's headless chromium driven through chromedriver, against one embedded system (every service in one
/// process, SQLite in a temp folder, the fake SMS gateway and courier) on free loopback ports.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly string _profile = TestData.NewFolder("browser");
    private readonly string _dataDirectory = TestData.NewFolder("browser-data");
    private WebApplication _app = null!;

    public ChromeDriver Driver { get; private set; } = null!;

    /// <summary>The embedded system's services, for the set-up a test is not about (an application filed over gRPC).</summary>
    public IServiceProvider Services => _app.Services;
    private readonly EmbeddedSettings _system = new();

    public string PortalUrl => _system.PortalUrl;

    public string GrpcUrl => _system.GrpcUrl;

    public string SmsUrl => _system.SmsUrl;

    public const string MissingMessage =
        $"Browser tests need {Chromium} and {ChromeDriver} (apt-get install chromium chromium-driver); skipped outside CI.";

    public static bool IsInstalled => File.Exists(Chromium) && File.Exists(ChromeDriver);

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts the system and a first browser; fails (as under CI) when chromium is missing.</summary>
    public async Task StartAsync(int width, int height, IDictionary<string, string?>? extra = null)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(MissingMessage);
        }

        await StartSystemAsync(extra);
        Driver = Open(width, height);
    }

    /// <summary>The system alone, for page tests that read the HTML over HTTP as a browser without JavaScript would.</summary>
    public async Task StartSystemAsync(IDictionary<string, string?>? extra = null)
    {
        _app = EmbeddedHost.Build([], _system.For(_dataDirectory, extra));
        await _app.StartAsync();
    }

    private readonly List<ChromeDriver> _drivers = [];

    /// <summary>Another browser (its own profile, cookies and window size), made the current one; returns its index for <see cref="Use"/>.</summary>
    public int OpenAnother(int width, int height)
    {
        Driver = Open(width, height);
        return _drivers.Count - 1;
    }

    public void Use(int index) => Driver = _drivers[index];

    private ChromeDriver Open(int width, int height)
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            $"--user-data-dir={Path.Combine(_profile, _drivers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
            $"--window-size={width},{height}", "--lang=zh-CN");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        _drivers.Add(driver);
        return driver;
    }

    public void Go(string path) => Driver.Navigate().GoToUrl(PortalUrl + path);

    public IWebElement Find(By by)
    {
        try
        {
            return Waiting(Wait).Until(d => d.FindElements(by).FirstOrDefault(e => e.Displayed))!;
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"Waited {Wait.TotalSeconds}s for {by} at {Driver.Url}; the page says:\n{Text}");
            throw;
        }
    }

    public void Type(string id, string text)
    {
        var input = Find(By.Id(id));
        input.Clear();
        input.SendKeys(text);
    }

    public void Choose(string id) => Driver.ExecuteScript("arguments[0].click();", Find(By.Id(id)));

    public void Check(string name) => Driver.ExecuteScript("arguments[0].checked = true;", Find(By.Name(name)));

    public void Select(string id, string value)
    {
        var select = Find(By.Id(id));
        Driver.ExecuteScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", select, value);
        Assert.Equal(value, select.GetAttribute("value"));
    }

    public void Click(By by)
    {
        var element = Find(by);
        Driver.ExecuteScript("arguments[0].scrollIntoView({block:'center'});", element);
        element.Click();
    }

    /// <summary>
    /// The page changed under the read. Chromium sometimes reports a node of the previous page as an unknown error
    /// ("does not belong to the document") rather than as a stale element.
    /// </summary>
    private static bool IsStale(Exception ex) =>
        ex is StaleElementReferenceException or NoSuchElementException
        || (ex is WebDriverException && ex.Message.Contains("does not belong to the document", StringComparison.Ordinal));

    /// <summary>Waits (bounded) until the page's text contains <paramref name="text"/>; fails with the page's text.</summary>
    public void WaitForText(string text, int seconds = 20)
    {
        try
        {
            Waiting(TimeSpan.FromSeconds(seconds)).Until(_ => Text.Contains(text, StringComparison.Ordinal));
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"Waited {seconds}s for \"{text}\" at {Driver.Url}; the page says:\n{Text}");
        }
    }

    public void WaitForUrl(Func<string, bool> matches, string what, int seconds = 20)
    {
        try
        {
            Waiting(TimeSpan.FromSeconds(seconds)).Until(d => matches(d.Url));
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"Waited {seconds}s for {what}; at {Driver.Url}:\n{Text}");
        }
    }

    /// <summary>Reloads the page (bounded, every half second) until <paramref name="ready"/> holds: for work that travels over the bus.</summary>
    public void RefreshUntil(Func<bool> ready, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!ready())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {seconds}s for {what}; at {Driver.Url}:\n{Text}");
            }
            Thread.Sleep(500);
            Driver.Navigate().Refresh();
        }
    }

    public bool Has(By by) => Driver.FindElements(by).Count > 0;

    /// <summary>Another person at the current browser: signed out (its cookies gone).</summary>
    public void SignOut()
    {
        Go("/");
        Driver.Manage().Cookies.DeleteAllCookies();
    }

    /// <summary>The page's visible text (read again if the page was replaced while reading, at most 20 times).</summary>
    public string Text
    {
        get
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return Driver.FindElement(By.TagName("body")).Text;
                }
                catch (Exception ex) when (attempt < 20 && IsStale(ex))
                {
                    Thread.Sleep(100);
                }
            }
        }
    }

    private WebDriverWait Waiting(TimeSpan timeout)
    {
        var wait = new WebDriverWait(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        // The same race as in IsStale, inside a wait: try again until the bound.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException), typeof(UnknownErrorException));
        return wait;
    }

    /// <summary>Saves the page as artifacts/screenshots/{name}.png under the repository.</summary>
    public void Screenshot(string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        Assert.True(new FileInfo(path).Length > 1000, $"The screenshot {path} is empty.");
    }

    /// <summary>A shopkeeper's sign-in: the mobile number, the code the fake SMS gateway received, back at <paramref name="returnUrl"/>.</summary>
    public async Task SignInByCodeAsync(string phone, string returnUrl)
    {
        Go("/signin?kind=applicant&returnUrl=" + Uri.EscapeDataString(returnUrl));
        Type("phone", phone);
        Click(By.CssSelector("button[name='action'][value='send']"));
        Find(By.Id("code"));
        var code = await ReadCodeAsync(phone);
        Type("code", code);
        Click(By.CssSelector("button[name='action'][value='verify']"));
        WaitForUrl(u => u.StartsWith(PortalUrl + returnUrl, StringComparison.Ordinal), "the way back to " + returnUrl);
    }

    public void SignInAsOfficer(string username, string returnUrl)
    {
        Go("/signin?kind=officer&returnUrl=" + Uri.EscapeDataString(returnUrl));
        Type("username", username);
        Type("password", OfficerSignIn.Password);
        Click(By.CssSelector("button[type='submit']"));
        WaitForUrl(u => u.StartsWith(PortalUrl + returnUrl, StringComparison.Ordinal), "the way back to " + returnUrl);
    }

    /// <summary>The code the fake SMS gateway last received for <paramref name="phone"/>.</summary>
    public async Task<string> ReadCodeAsync(string phone)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await SmsCodes.ReadAsync(http, SmsUrl, phone, TimeSpan.FromSeconds(5));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Permits.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Permits.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A tiny valid PNG (1×1, white).</summary>
    public static byte[] Png() => Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC");

    /// <summary>A minimal valid one-page PDF.</summary>
    public static byte[] Pdf() => System.Text.Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    public string WriteFile(string name, byte[] content)
    {
        Directory.CreateDirectory(_dataDirectory);
        var path = Path.Combine(_dataDirectory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var driver in _drivers)
            {
                driver.Quit();
                driver.Dispose();
            }
        }
        finally
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
