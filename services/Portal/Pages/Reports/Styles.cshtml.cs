using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Permits.Portal.Pages.Reports;

/// <summary>The report pages' stylesheet (the Portal allows stylesheets from itself only, never inline styles).</summary>
public sealed class StylesModel : PageModel
{
    public IActionResult OnGet() => Content(ReportPages.Stylesheet, "text/css; charset=utf-8");
}
