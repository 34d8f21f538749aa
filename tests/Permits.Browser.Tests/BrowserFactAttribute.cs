namespace Permits.Browser.Tests;

/// <summary>
/// A browser test: skipped, with the reason, on a machine without chromium and chromedriver, except under CI
/// (CI=true), where it runs and fails for the missing browser.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Browser.IsInstalled && !Browser.UnderCi)
        {
            Skip = Browser.MissingMessage;
        }
    }
}
