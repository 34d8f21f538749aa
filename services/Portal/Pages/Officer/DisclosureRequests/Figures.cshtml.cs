using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer.DisclosureRequests;

/// <summary>Sections 三 and 四 of the annual report for the clerk's county and a year, counted from the requests.</summary>
public sealed class FiguresModel(InformationRequestDesk.InformationRequestDeskClient desk, TimeProvider time, ILogger<FiguresModel> logger) : PageModel
{
    public static readonly IReadOnlyList<(string Key, string Label)> Columns =
    [
        ("NaturalPerson", "自然人"),
        ("CommercialEnterprise", "商业企业"),
        ("ResearchInstitution", "科研机构"),
        ("SocialWelfareOrganisation", "社会公益组织"),
        ("LegalServiceInstitution", "法律服务机构"),
        ("Other", "其他"),
    ];

    [BindProperty(SupportsGet = true, Name = "year")]
    public int? Year { get; set; }

    public InformationRequestFigures? Figures { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Year ??= time.Today().Year;
        try
        {
            Figures = await desk.GetYearFiguresAsync(
                new GetInformationRequestFiguresRequest { Year = Year.Value }, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Problem = OfficerErrors.Explain(ex, logger);
        }
    }
}
