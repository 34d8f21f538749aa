using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Portal.Pages.Apply;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Guide;

/// <summary>
/// The 办事指南 of one request type, in one county or in general: the conditions, the materials with what each must
/// show, the legal basis, the legal and promised time limits, the fee, the hall and the common questions. The materials
/// and the renewal and 停业 windows are Intake's form specification, the one the form and Submit use.
/// </summary>
public sealed class MatterModel(
    GuideBook guide,
    CountyDirectory directory,
    FormSpecs specs,
    CountyInForce inForce,
    Applications.ApplicationsClient applications,
    Shipments.ShipmentsClient shipments,
    Cases.CasesClient cases,
    ILogger<MatterModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    public GuideBook Guide => guide;

    public RequestTypeInfo Type { get; private set; } = RequestTypes.All[0];

    public GuideMatter Matter { get; private set; } = null!;

    public County? County { get; private set; }

    /// <summary>Intake's form of the type in the county (the common form without a county); null while Intake is away.</summary>
    public FormSpec? Spec { get; private set; }

    /// <summary>The chosen county's limits in force; null for the guide of every county (each promises its own).</summary>
    public LimitsInForce? Limits { get; private set; }

    public IReadOnlyList<Option> Counties => directory.All.Select(c => new Option(c.Code, c.Name)).ToList();

    /// <summary>The halls in force: the chosen county's, or every county's.</summary>
    public IReadOnlyList<HallInForce> Halls { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string type, CancellationToken cancellationToken)
    {
        if (!RequestTypes.TryGet(type, out var info) || guide.Matter(info.Code) is not { } matter)
        {
            return NotFound();
        }

        Type = info;
        Matter = matter;
        County = GuideBook.Chosen(directory, CountyCode);
        Halls = await inForce.HallsAsync(shipments, GuideBook.Halls(directory, County), cancellationToken);
        if (County is not null)
        {
            Limits = await inForce.LimitsAsync(cases, County, info.Code, matter.LegalDays, cancellationToken);
        }

        try
        {
            Spec = await specs.GetAsync(applications, County?.Code ?? "", info.Proto, cancellationToken);
        }
        catch (RpcException error) when (CallFailures.Of(error) is CallFailure.Unavailable or CallFailure.Failed)
        {
            logger.LogWarning(error, "The guide of {RequestType} shows no materials: Intake's form specification failed ({Status})", info.Code, error.StatusCode);
        }

        return Page();
    }

    /// <summary>What the material is, as the form names it.</summary>
    public static string MaterialLabel(MaterialKind kind) => Apply.IndexModel.MaterialLabel(kind);

    /// <summary>The windows Intake checks at submit, in words; empty for types without one.</summary>
    public IEnumerable<string> Windows()
    {
        if (Spec is null)
        {
            yield break;
        }

        if (Type.Code == RequestTypes.Renewal && Spec.RenewalMinDaysBeforeExpiry > 0)
        {
            yield return $"须在许可证有效期届满 {Spec.RenewalMinDaysBeforeExpiry} 日前提出申请。";
        }

        if (Type.Code == RequestTypes.Suspend && Spec.SuspendMaxDays > 0)
        {
            yield return $"停业起始日须在申请之日 {Spec.SuspendMinDaysBeforeStart} 日之后，停业期限最长 {Spec.SuspendMaxDays} 日。";
        }
    }
}
