using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Web;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Portal.Pages.Apply;

/// <summary>
/// What the form shows: the fields the chosen request type asks in the chosen county, their labels (both from
/// Intake's form specification, the spec Submit checks against), marked 必填/选填, and the error summary in form order.
/// </summary>
public sealed partial class IndexModel
{
    /// <summary>What a 变更 may change (ChangeItem names).</summary>
    public static readonly IReadOnlyList<Option> ChangeItemOptions =
    [
        new(nameof(ChangeItem.BusinessName), "企业名称（字号）"),
        new(nameof(ChangeItem.ResponsiblePerson), "负责人（经营者）"),
        new(nameof(ChangeItem.PremisesAddressName), "经营场所地址名称（门牌、路名变更，场所未迁移）"),
        new(nameof(ChangeItem.Other), "其他登记事项"),
    ];

    /// <summary>The kinds of material the form asks for, with what each is.</summary>
    public static readonly IReadOnlyList<Option> MaterialKinds =
    [
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.IdCard), "负责人身份证（正反面）"),
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.BusinessLicence), "营业执照"),
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.PremisesProof), "场所产权证明或租赁合同"),
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.PremisesPhoto), "经营场所照片（门头、内部）"),
    ];

    public static string MaterialLabel(Permits.Contracts.Intake.V1.MaterialKind kind) =>
        MaterialKinds.FirstOrDefault(k => k.Value == kind.ToString())?.Label ?? kind.ToString();

    /// <summary>
    /// The form of the chosen request type in the chosen county, from Intake (which checks against the same spec);
    /// null when Intake could not say, and then every field shows.
    /// </summary>
    public FormSpec? Spec { get; private set; }

    /// <summary>Every field in form order with its label: the spec's, or the last one Intake gave while it cannot answer.</summary>
    private IReadOnlyList<FormField> Fields => Spec?.Fields is { Count: > 0 } fields ? fields : specs.Fields;

    /// <summary>The field's label as Intake's form specification words it.</summary>
    public string Label(string field) => Fields.FirstOrDefault(f => f.Field == field)?.Label ?? field;

    /// <summary>The summary, in form order: fields the form shows link to them; anything else is listed as text.</summary>
    public IEnumerable<(string? Anchor, string Message)> Summary
    {
        get
        {
            var order = Fields.Select(f => f.Field).ToList();
            return Errors.Items
                .OrderBy(e => order.IndexOf(e.Field) is var i and >= 0 ? i : int.MaxValue)
                .Select(e => (order.Contains(e.Field) ? "#" + FormErrors.ElementId(e.Field) : null, e.Message));
        }
    }

    /// <summary>How the form asks for a field; Unspecified when not known.</summary>
    public FieldRequirement Requirement(string field) =>
        Spec?.Fields.FirstOrDefault(f => f.Field == field)?.Requirement ?? FieldRequirement.Unspecified;

    public bool Asks(string field) => Requirement(field) != FieldRequirement.NotAsked;

    /// <summary>The field's label marked 必填 or 选填 as the county's form asks for it.</summary>
    public string Marked(string field, string? label = null)
    {
        label ??= Label(field);
        return (field, Requirement(field)) switch
        {
            ("lease_end_date", FieldRequirement.Required) => label + "（租赁的必填）",
            ("credit_code", FieldRequirement.Optional) => label + "（企业必填）",
            ("delivery.address", _) => label + "（快递到家必填）",
            (_, FieldRequirement.Required) => label + "（必填）",
            (_, FieldRequirement.Optional) => label + "（选填）",
            _ => label,
        };
    }

    /// <summary>The materials the chosen type needs in the chosen county, in the applicant's words.</summary>
    public IReadOnlyList<string> NeededMaterials =>
        Spec is null ? MaterialKinds.Select(k => k.Label).ToList() : Spec.Materials.Select(MaterialLabel).ToList();

    /// <summary>The chosen request type's Chinese name.</summary>
    public string RequestTypeLabel => RequestTypes.TryGet(Form.RequestType, out var type) ? type.Label : "";

    /// <summary>The chosen request type, or 新办 while none is chosen.</summary>
    private RequestType ChosenType => RequestTypes.TryGet(Form.RequestType, out var type) ? type.Proto : RequestType.New;

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (IsResubmission && Corrections.Count == 0)
        {
            await LoadResubmissionAsync(cancellationToken);
        }

        var county = counties.TryGet(Form.CountyCode ?? "", out _) ? Form.CountyCode! : "";
        try
        {
            Spec = await specs.GetAsync(applications, county, ChosenType, cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSpecFailed(logger, ex, ex.StatusCode);
            Spec = null;
        }

        return Page();
    }

    private void ShowCorrections(Application application)
    {
        Corrections = application.Corrections.ToList();
        CorrectionDocumentNumber = application.CorrectionDocumentNumber;
        Materials = application.Materials.ToList();
    }

    /// <summary>
    /// A correction's form shown again (after an upload or refused fields): the items to fix, the application's
    /// materials, and its county and type, which a resubmission cannot change (best effort: the form matters more).
    /// </summary>
    private async Task LoadResubmissionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var application = await applications.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = Form.ResubmitId }, await HeadersAsync(), cancellationToken: cancellationToken);
            ShowCorrections(application);
            Form.CountyCode = application.CountyCode;
            Form.RequestType = RequestTypes.TryGet(application.RequestType, out var type) ? type.Code : Form.RequestType;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            Corrections = [];
        }
    }

    /// <summary>The draft's materials, for a form shown again with errors (best effort: the form matters more).</summary>
    private async Task LoadMaterialsAsync(CancellationToken cancellationToken)
    {
        if (Form.DraftId is not { Length: > 0 } draftId)
        {
            return;
        }

        try
        {
            Materials = (await applications.GetDraftAsync(new GetDraftRequest { DraftId = draftId }, await HeadersAsync(),
                cancellationToken: cancellationToken)).Materials.ToList();
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            Materials = [];
        }
    }
}
