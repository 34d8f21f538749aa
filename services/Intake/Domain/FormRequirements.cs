using System.Text.Json;
using Permits.Contracts.Intake.V1;

namespace Permits.Intake.Domain;

/// <summary>
/// Which fields the form asks for, per request type and county (the "fields" section of Domain/requirements.json, or
/// of the file named by <c>Intake:RequirementsFile</c>, beside the materials): Required, Optional or NotAsked. A
/// county's entry changes only the fields it names; it is the deployment's default, which a county's 系统管理员 may change
/// within the law's bounds (Features/FieldSettingsAdmin.cs). Also the towns of each county, for the premises address check.
/// </summary>
public sealed class FormRequirements
{
    /// <summary>
    /// Every name the form uses, in form order, with the words the form uses for it: its fields (the county and the
    /// request type first, the parts of the delivery choice after it), the materials and the upload box's two fields.
    /// The one place these words are written: GetFormSpec gives them to the Portal, and errors name these fields.
    /// </summary>
    public static readonly IReadOnlyList<(string Field, string Label)> Labels =
    [
        (FormFields.CountyCode, "所在县（市、区）"),
        (FormFields.RequestType, "申请类型"),
        (FormFields.LicenceNumber, "现持有许可证号"),
        (FormFields.LicenceValidTo, "许可证有效期截止日"),
        (FormFields.SuspendFrom, "停业起始日"),
        (FormFields.SuspendUntil, "停业截止日"),
        (FormFields.ChangeItems, "变更事项"),
        (FormFields.ChangedOn, "变更发生日期"),
        (FormFields.HolderType, "主体类型"),
        (FormFields.BusinessName, "企业名称（字号）"),
        (FormFields.CreditCode, "统一社会信用代码"),
        (FormFields.ResponsiblePerson, "负责人（经营者）姓名"),
        (FormFields.IdNumber, "负责人居民身份证号码"),
        (FormFields.PremisesAddress, "经营场所地址"),
        (FormFields.FloorArea, "经营面积"),
        (FormFields.PremisesTenure, "场所性质"),
        (FormFields.LeaseEndDate, "租赁期限届满日"),
        (FormFields.ContactPhone, "联系电话"),
        (FormFields.Delivery, "证件领取方式"),
        (FormFields.DeliveryMethod, "领取方式"),
        (FormFields.RecipientName, "收件人（领取人）姓名"),
        (FormFields.RecipientPhone, "收件人电话"),
        (FormFields.DeliveryAddress, "收件地址"),
        (FormFields.Materials, "申请材料"),
        (FormFields.MaterialKind, "材料类别"),
        (FormFields.MaterialContent, "材料文件"),
    ];

    /// <summary>The form's words for a field (the name itself for one the form does not have).</summary>
    public static string Label(string field) => Labels.FirstOrDefault(l => l.Field == field).Label ?? field;

    /// <summary>Required, Optional or NotAsked, as the requirements file and a county's stored choice write them.</summary>
    public static bool TryParse(string? value, out FieldRequirement requirement)
    {
        requirement = value switch
        {
            nameof(FieldRequirement.Required) => FieldRequirement.Required,
            nameof(FieldRequirement.Optional) => FieldRequirement.Optional,
            nameof(FieldRequirement.NotAsked) => FieldRequirement.NotAsked,
            _ => FieldRequirement.Unspecified,
        };
        return requirement != FieldRequirement.Unspecified;
    }

    /// <summary>The fields whose requirement the requirements file sets per request type and county, in form order.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        FormFields.LicenceNumber, FormFields.LicenceValidTo, FormFields.SuspendFrom, FormFields.SuspendUntil,
        FormFields.ChangeItems, FormFields.ChangedOn, FormFields.HolderType, FormFields.BusinessName, FormFields.CreditCode,
        FormFields.ResponsiblePerson, FormFields.IdNumber, FormFields.PremisesAddress, FormFields.FloorArea,
        FormFields.PremisesTenure, FormFields.LeaseEndDate, FormFields.ContactPhone, FormFields.Delivery,
    ];

    /// <summary>Always required whatever the configuration: the licence, the bureau's call and the service of the decision need them.</summary>
    public static readonly IReadOnlySet<string> AlwaysRequired = new HashSet<string>(StringComparer.Ordinal)
    {
        FormFields.HolderType, FormFields.BusinessName, FormFields.ResponsiblePerson, FormFields.ContactPhone, FormFields.Delivery,
    };

    private readonly Dictionary<string, Dictionary<string, FieldRequirement>> _default;
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, FieldRequirement>>> _counties;
    private readonly Dictionary<string, string[]> _towns;

    public FormRequirements(IConfiguration configuration)
    {
        using var stream = MaterialRequirements.Open(configuration);
        using var json = JsonDocument.Parse(stream);
        var fields = json.RootElement.TryGetProperty("fields", out var f) ? f : default;
        _default = fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty("default", out var d) ? ParseTypes(d) : [];
        _counties = new Dictionary<string, Dictionary<string, Dictionary<string, FieldRequirement>>>(StringComparer.Ordinal);
        if (fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty("counties", out var counties))
        {
            foreach (var county in Entries(counties))
            {
                _counties[county.Name] = ParseTypes(county.Value);
            }
        }

        _towns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (json.RootElement.TryGetProperty("towns", out var towns))
        {
            foreach (var county in Entries(towns))
            {
                _towns[county.Name] = county.Value.EnumerateArray().Select(t => t.GetString() ?? "").Where(t => t.Length > 0).ToArray();
            }
        }
    }

    /// <summary>How the form of this request type in this county asks for each field (county "" or unknown: the common form).</summary>
    public IReadOnlyDictionary<string, FieldRequirement> For(string countyCode, string requestType)
    {
        var spec = Fields.ToDictionary(
            f => f,
            f => AlwaysRequired.Contains(f) ? FieldRequirement.Required : FieldRequirement.NotAsked,
            StringComparer.Ordinal);
        if (_default.TryGetValue(requestType, out var common))
        {
            foreach (var (field, requirement) in common)
            {
                spec[field] = requirement;
            }
        }

        if (_counties.TryGetValue(countyCode, out var county) && county.TryGetValue(requestType, out var own))
        {
            foreach (var (field, requirement) in own)
            {
                spec[field] = requirement;
            }
        }

        return spec;
    }

    /// <summary>The towns (乡镇、街道) of a county; empty when none are configured.</summary>
    public IReadOnlyList<string> Towns(string countyCode) => _towns.GetValueOrDefault(countyCode) ?? [];

    private static Dictionary<string, Dictionary<string, FieldRequirement>> ParseTypes(JsonElement types) =>
        Entries(types).ToDictionary(
            type => type.Name,
            type => Entries(type.Value).ToDictionary(
                field => Known(field.Name),
                field => Parse(type.Name, field.Name, field.Value.GetString()),
                StringComparer.Ordinal),
            StringComparer.Ordinal);

    /// <summary>An object's members, without the "_comment" ones.</summary>
    private static IEnumerable<JsonProperty> Entries(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element.EnumerateObject().Where(p => !p.Name.StartsWith('_')) : [];

    private static string Known(string field) => Fields.Contains(field)
        ? field
        : throw new InvalidOperationException($"Unknown form field {field} in the requirements file.");

    private static FieldRequirement Parse(string requestType, string field, string? value)
    {
        if (!TryParse(value, out var requirement))
        {
            throw new InvalidOperationException($"{requestType}.{field} in the requirements file must be Required, Optional or NotAsked, not {value}.");
        }

        if (AlwaysRequired.Contains(field) && requirement != FieldRequirement.Required)
        {
            throw new InvalidOperationException($"{field} is always required; the requirements file cannot make it {value}.");
        }

        return requirement;
    }
}

/// <summary>The form's field names, as in SubmitApplicationRequest and in every FieldErrors answer.</summary>
public static class FormFields
{
    public const string CountyCode = "county_code";
    public const string RequestType = "request_type";
    public const string LicenceNumber = "licence_number";
    public const string LicenceValidTo = "licence_valid_to";
    public const string SuspendFrom = "suspend_from";
    public const string SuspendUntil = "suspend_until";
    public const string ChangeItems = "change_items";
    public const string ChangedOn = "changed_on";
    public const string HolderType = "holder_type";
    public const string BusinessName = "business_name";
    public const string CreditCode = "credit_code";
    public const string ResponsiblePerson = "responsible_person";
    public const string IdNumber = "id_number";
    public const string PremisesAddress = "premises_address";
    public const string FloorArea = "floor_area";
    public const string PremisesTenure = "premises_tenure";
    public const string LeaseEndDate = "lease_end_date";
    public const string ContactPhone = "contact_phone";
    public const string Delivery = "delivery";
    public const string DeliveryMethod = "delivery.method";
    public const string RecipientName = "delivery.recipient_name";
    public const string RecipientPhone = "delivery.recipient_phone";
    public const string DeliveryAddress = "delivery.address";

    /// <summary>The materials as a whole (what is missing at submission).</summary>
    public const string Materials = "materials";

    /// <summary>The upload box (UploadMaterialRequest): the material's kind and the file.</summary>
    public const string MaterialKind = "kind";
    public const string MaterialContent = "content";
}
