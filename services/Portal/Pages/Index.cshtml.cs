using Grpc.Core;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Portal.Pages.Apply;
using Permits.Portal.Web;

namespace Permits.Portal.Pages;

/// <summary>
/// The home page. Its 办理须知 names the materials of a new licence as Intake's common form asks for them (the form
/// and the 办事指南 read the same spec), so the home page cannot say a material is optional that the form requires.
/// </summary>
public sealed class IndexModel(FormSpecs specs, Applications.ApplicationsClient applications, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>The materials a new licence needs in words; empty while Intake is away (the page then links to the guide only).</summary>
    public IReadOnlyList<string> NewLicenceMaterials { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var spec = await specs.GetAsync(applications, "", RequestTypes.Get(RequestTypes.New).Proto, cancellationToken);
            NewLicenceMaterials = spec.Materials.Select(Apply.IndexModel.MaterialLabel).ToList();
        }
        catch (RpcException error) when (CallFailures.Of(error) is CallFailure.Unavailable or CallFailure.Failed)
        {
            logger.LogWarning(error, "The home page names no materials: Intake's form specification failed ({Status})", error.StatusCode);
        }
    }
}
