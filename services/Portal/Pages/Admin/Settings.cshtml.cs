using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Admin;

/// <summary>
/// 本县设置: the county's 系统管理员 (system-admin, folder policy) reads and changes the settings each service owns —
/// Review's 合理布局 rules and 承诺时限, Delivery's service hall, Intake's materials and form fields per request type — and sees who
/// changed what and when. Each form goes to its own service, which validates, audits and applies it from the next request.
/// The county comes from the session's token, never the form.
/// </summary>
public sealed class SettingsModel(
    Cases.CasesClient review, Shipments.ShipmentsClient delivery, Applications.ApplicationsClient intake, ILogger<SettingsModel> logger) : PageModel
{
    /// <summary>How a material or a form field is asked for, as the form's select sends it.</summary>
    public const string Required = "required";
    public const string Optional = "optional";
    public const string NotAsked = "no";

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public ReviewSettings? Review { get; private set; }

    public HallSettings? Hall { get; private set; }

    public MaterialSettings? Materials { get; private set; }

    public FieldSettings? Fields { get; private set; }

    /// <summary>The form fields as last sent, when refused: Intake's messages name a field by its place in them.</summary>
    private FieldSettings? _sentFields;

    /// <summary>Which form was sent and refused: its field messages show next to its fields.</summary>
    public string? Refused { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Saved { get; private set; }

    /// <summary>Failures to read or save, per section (review, hall, materials, fields).</summary>
    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Every change and refusal of the four, newest first: (when, 事项, who, outcome, detail).</summary>
    public IReadOnlyList<(DateTimeOffset At, string Subject, string Officer, string Outcome, string Detail)> Trail { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostReviewAsync(ReviewSettings form, CancellationToken cancellationToken)
    {
        await SaveAsync("review", "合理布局与承诺时限", async options => await review.UpdateReviewSettingsAsync(
            new UpdateReviewSettingsRequest { Settings = form }, options), "settings.", cancellationToken);
        if (Refused == "review" && Review is { } shown)
        {
            // The values as typed, beside the messages about them; the rest as stored.
            (shown.MinDistanceToOutletMeters, shown.MinDistanceToSchoolMeters, shown.QuotaRadiusMeters, shown.QuotaMaxOutlets) =
                (form.MinDistanceToOutletMeters, form.MinDistanceToSchoolMeters, form.QuotaRadiusMeters, form.QuotaMaxOutlets);
            (shown.GridCellMeters, shown.QuotaPerCellPerQuarter, shown.PromisedDecisionDays) =
                (form.GridCellMeters, form.QuotaPerCellPerQuarter, form.PromisedDecisionDays);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostHallAsync(HallSettings form, CancellationToken cancellationToken)
    {
        await SaveAsync("hall", "办事大厅信息", async options => await delivery.UpdateHallSettingsAsync(
            new UpdateHallSettingsRequest { Settings = form }, options), "settings.", cancellationToken);
        if (Refused == "hall" && Hall is { } shown)
        {
            (shown.Address, shown.OpeningHours, shown.Phone) = (form.Address, form.OpeningHours, form.Phone);
        }

        return Page();
    }

    /// <param name="ask">Per request type code and material kind: required, optional or no (the select "m-New-IdCard").</param>
    public async Task<IActionResult> OnPostMaterialsAsync(int version, CancellationToken cancellationToken)
    {
        var settings = new MaterialSettings { Version = version };
        foreach (var type in Permits.Contracts.Licensing.RequestTypes.All)
        {
            var entry = new RequestMaterials { RequestType = type.Proto };
            foreach (var kind in MaterialKinds)
            {
                switch (Request.Form[MaterialField(type.Code, kind)].ToString())
                {
                    case Required:
                        entry.Required.Add(kind);
                        break;
                    case Optional:
                        entry.Optional.Add(kind);
                        break;
                }
            }

            settings.RequestTypes.Add(entry);
        }

        await SaveAsync("materials", "申请材料", async options => await intake.UpdateMaterialSettingsAsync(
            new UpdateMaterialSettingsRequest { Settings = settings }, options), "settings.", cancellationToken);
        if (Refused == "materials" && Materials is { } shown)
        {
            foreach (var (entry, typed) in shown.RequestTypes.Zip(settings.RequestTypes))
            {
                entry.Required.Clear();
                entry.Required.Add(typed.Required);
                entry.Optional.Clear();
                entry.Optional.Add(typed.Optional);
            }
        }

        return Page();
    }

    /// <param name="version">The version read; each request type's fields come as selects "f-New-floor_area" (locked ones are not sent and stay).</param>
    public async Task<IActionResult> OnPostFieldsAsync(int version, CancellationToken cancellationToken)
    {
        var settings = new FieldSettings { Version = version };
        foreach (var type in Permits.Contracts.Licensing.RequestTypes.All)
        {
            var entry = new RequestFields { RequestType = type.Proto };
            var prefix = FormFieldName(type.Code, "");
            foreach (var (name, value) in Request.Form.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                entry.Fields.Add(new FieldSetting
                {
                    Field = name[prefix.Length..],
                    Requirement = value.ToString() switch
                    {
                        Required => FieldRequirement.Required,
                        Optional => FieldRequirement.Optional,
                        NotAsked => FieldRequirement.NotAsked,
                        _ => FieldRequirement.Unspecified,
                    },
                });
            }

            settings.RequestTypes.Add(entry);
        }

        await SaveAsync("fields", "申请表栏目", async options => await intake.UpdateFieldSettingsAsync(
            new UpdateFieldSettingsRequest { Settings = settings }, options), "settings.", cancellationToken);
        if (Refused == "fields" && Fields is { } shown)
        {
            _sentFields = settings;
            foreach (var (entry, typed) in shown.RequestTypes.Zip(settings.RequestTypes))
            {
                foreach (var field in typed.Fields)
                {
                    if (entry.Fields.FirstOrDefault(f => f.Field == field.Field) is { } showing)
                    {
                        showing.Requirement = field.Requirement;
                    }
                }
            }
        }

        return Page();
    }

    public static string FormFieldName(string typeCode, string field) => $"f-{typeCode}-{field}";

    /// <summary>The select's value for a requirement.</summary>
    public static string Choice(FieldRequirement requirement) => requirement switch
    {
        FieldRequirement.Required => Required,
        FieldRequirement.Optional => Optional,
        _ => NotAsked,
    };

    /// <summary>The page's words for a requirement.</summary>
    public static string Word(FieldRequirement requirement) => requirement switch
    {
        FieldRequirement.Required => "必填",
        FieldRequirement.Optional => "选填",
        _ => "不询问",
    };

    /// <summary>
    /// Intake's name for a form field's choice in the refused change ("request_types[0].fields[2].requirement"), which
    /// is also the id of its select, so the summary's link and the message beside the select find it; null when not sent.
    /// </summary>
    public string? SentName(string typeCode, string field)
    {
        var types = _sentFields?.RequestTypes ?? [];
        for (var i = 0; i < types.Count; i++)
        {
            if (Permits.Contracts.Licensing.RequestTypes.Code(types[i].RequestType) != typeCode)
            {
                continue;
            }

            var j = types[i].Fields.Select(f => f.Field).ToList().IndexOf(field);
            return j < 0 ? null : $"request_types[{i}].fields[{j}]";
        }

        return null;
    }

    /// <summary>The messages about one form field's choice in the refused change; null when none.</summary>
    public string? FieldError(string typeCode, string field) =>
        Refused == "fields" && SentName(typeCode, field) is { } sent ? Errors.For(sent + ".requirement") : null;

    /// <summary>The id of a form field's select (where the summary's link for its message leads).</summary>
    public string FieldId(string typeCode, string field) =>
        FormErrors.ElementId("fields-" + (SentName(typeCode, field) is { } sent ? sent + ".requirement" : $"{typeCode}.{field}"));

    /// <summary>The kinds an applicant may be asked for (the law's set, as Intake answers it), in form order.</summary>
    public IReadOnlyList<MaterialKind> MaterialKinds =>
        Materials?.RequestTypes.FirstOrDefault()?.Allowed.ToList()
        ?? [MaterialKind.IdCard, MaterialKind.BusinessLicence, MaterialKind.PremisesProof, MaterialKind.PremisesPhoto];

    public static string MaterialField(string typeCode, MaterialKind kind) => $"m-{typeCode}-{kind}";

    /// <summary>The applicant's words for a material: the application form's.</summary>
    public static string MaterialLabel(MaterialKind kind) => Apply.IndexModel.MaterialLabel(kind);

    private async Task SaveAsync(string section, string what, Func<CallOptions, Task> save, string under, CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            await save(await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            Saved = $"{what}已保存，自下一次办理起生效。";
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Refused = section;
            Errors = FormErrors.From(ex, under);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Failures[section] = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能保存：", StringComparison.Ordinal);
        }

        await LoadAsync(cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        var options = await OfficerIdentity.CallAsync(HttpContext, cancellationToken);
        Review = await ReadAsync("review", async () => await review.GetReviewSettingsAsync(new GetReviewSettingsRequest(), options));
        Hall = await ReadAsync("hall", async () => await delivery.GetHallSettingsAsync(new GetHallSettingsRequest(), options));
        Materials = await ReadAsync("materials", async () => await intake.GetMaterialSettingsAsync(new GetMaterialSettingsRequest(), options));
        Fields = await ReadAsync("fields", async () => await intake.GetFieldSettingsAsync(new GetFieldSettingsRequest(), options));
        Trail =
        [
            .. (Review?.Trail ?? []).Select(t => (t.OccurredAt.ToDateTimeOffset(), "合理布局与承诺时限", t.Officer, t.Outcome, t.Detail)),
            .. (Hall?.Trail ?? []).Select(t => (t.OccurredAt.ToDateTimeOffset(), "办事大厅", t.Officer, t.Outcome, t.Detail)),
            .. (Materials?.Trail ?? []).Select(t => (t.OccurredAt.ToDateTimeOffset(), "申请材料", t.Officer, t.Outcome, t.Detail)),
            .. (Fields?.Trail ?? []).Select(t => (t.OccurredAt.ToDateTimeOffset(), "申请表栏目", t.Officer, t.Outcome, t.Detail)),
        ];
        Trail = Trail.OrderByDescending(t => t.At).ToList();
    }

    private async Task<T?> ReadAsync<T>(string section, Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Failures.TryAdd(section, OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能读取：", StringComparison.Ordinal));
            return null;
        }
    }
}
