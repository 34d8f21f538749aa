using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Permits.Portal.Pages.Track;

/// <summary>查询办件进度: a plain GET form (works without script) that forwards to the application's own page.</summary>
public sealed class IndexModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "number")]
    public string? Number { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet()
    {
        if (!Request.Query.ContainsKey("number"))
        {
            return Page();
        }

        var number = Number?.Trim();
        if (string.IsNullOrEmpty(number))
        {
            Error = "请填写申请编号";
            return Page();
        }

        return RedirectToPage("/Track/Progress", new { number });
    }
}
