using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Guide;

/// <summary>办事指南: every request type, the county's hall, the fee and the common questions; each type links to its guide.</summary>
public sealed class IndexModel(GuideBook guide, CountyDirectory directory, CountyInForce inForce, Shipments.ShipmentsClient shipments) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    public GuideBook Guide => guide;

    /// <summary>The chosen county, when it is one the guide knows.</summary>
    public County? County { get; private set; }

    public IReadOnlyList<Option> Counties => directory.All.Select(c => new Option(c.Code, c.Name)).ToList();

    /// <summary>The halls in force: the chosen county's, or every county's.</summary>
    public IReadOnlyList<HallInForce> Halls { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        County = GuideBook.Chosen(directory, CountyCode);
        Halls = await inForce.HallsAsync(shipments, GuideBook.Halls(directory, County), cancellationToken);
    }

    /// <summary>The guide of one request type, in the chosen county when there is one.</summary>
    public string Link(string requestType) =>
        Url.Page("/Guide/Matter", new { type = requestType, county = County?.Code })!;
}
