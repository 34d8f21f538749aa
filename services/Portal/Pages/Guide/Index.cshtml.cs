using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Guide;

/// <summary>办事指南: every request type, the county's hall, the fee and the common questions; each type links to its guide.</summary>
public sealed class IndexModel(GuideBook guide, CountyDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    public GuideBook Guide => guide;

    /// <summary>The chosen county, when it is one the guide knows.</summary>
    public County? County { get; private set; }

    public IReadOnlyList<Option> Counties => guide.Counties(directory).Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<County> Halls => guide.Halls(directory, County);

    public void OnGet()
    {
        County = guide.Chosen(directory, CountyCode);
    }

    /// <summary>The guide of one request type, in the chosen county when there is one.</summary>
    public string Link(string requestType) =>
        Url.Page("/Guide/Matter", new { type = requestType, county = County?.Code })!;
}
