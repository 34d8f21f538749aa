using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Intake.Features;

/// <summary>
/// The law's set of materials: what a county may ask an applicant for at all, and what it must always ask for.
/// 《烟草专卖许可证管理办法》: an application carries the applicant's identity (every request), and a 新办 the proof that
/// the premises may be used (a fixed place of business is a condition of the licence). Everything else a county may
/// require, accept as optional (选交) or not ask for. The inspector's site photos are never the applicant's to give.
/// </summary>
public static class MaterialLaw
{
    public static readonly IReadOnlyList<MaterialKind> Allowed =
        [MaterialKind.IdCard, MaterialKind.BusinessLicence, MaterialKind.PremisesProof, MaterialKind.PremisesPhoto];

    public static IReadOnlyList<MaterialKind> Required(string requestType) =>
        requestType == RequestTypes.New ? [MaterialKind.IdCard, MaterialKind.PremisesProof] : [MaterialKind.IdCard];
}

/// <summary>The materials of one request type in a county: required (必交) and optional (选交), by MaterialKind name.</summary>
public sealed record MaterialChoice(IReadOnlyList<string> Required, IReadOnlyList<string> Optional);

/// <summary>
/// The materials a county asks for, as in force: the 系统管理员's stored choice per request type
/// (<see cref="RequestTypeSettings{TChoice}"/>, read on every use, so the next form and the next submission of any
/// replica follow it), else requirements.json's list (all required, none optional).
/// </summary>
public sealed class CountyMaterials(MaterialRequirements file, CountySettings<IntakeModule> settings, StepRunner<IntakeModule> steps, CountyDirectory counties)
{
    public const string Kind = "materials";

    public RequestTypeSettings<MaterialChoice> Choices { get; } = new(Kind, settings, steps, counties, (county, type, stored) =>
        stored ?? new MaterialChoice(file.Materials(county, type).Select(k => k.ToString()).ToList(), []));

    public async Task<(IReadOnlyList<MaterialKind> Required, IReadOnlyList<MaterialKind> Optional)> ForAsync(
        string county, string requestType, CancellationToken cancellationToken)
    {
        var choice = await Choices.ForAsync(county, requestType, cancellationToken);
        return (Kinds(choice.Required), Kinds(choice.Optional));
    }

    public static IReadOnlyList<MaterialKind> Kinds(IEnumerable<string> names) =>
        names.Select(n => System.Enum.TryParse<MaterialKind>(n, out var kind) ? kind : MaterialKind.Unspecified)
            .Where(k => k != MaterialKind.Unspecified).ToList();
}

/// <summary>
/// The 系统管理员's page on the county's materials: reads them per request type with the law's bounds and the trail;
/// changes them in one audited step (<see cref="Step"/>). A legally required material cannot be dropped or made
/// optional, nothing outside the law's set may be asked, and a material is either required or optional.
/// </summary>
public sealed class MaterialSettingsAdmin(CountyMaterials materials, TimeProvider time)
{
    public static readonly OfficerStep Step = new("ChangeMaterials", "修改本县申请材料", CountySettings<IntakeModule>.AdminRoles);

    public async Task<MaterialSettings> GetAsync(GetMaterialSettingsRequest request, Officer officer, CancellationToken cancellationToken) =>
        await ReplyAsync(await materials.Choices.ReadAsync(officer, Step, request.CountyCode, cancellationToken), cancellationToken);

    public async Task<MaterialSettings> UpdateAsync(UpdateMaterialSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var s = request.Settings ?? new MaterialSettings();
        var errors = new FieldErrors();
        var wanted = RequestTypeSettings<MaterialChoice>.Wanted(s.RequestTypes, e => e.RequestType, (entry, type, field) =>
        {
            foreach (var kind in entry.Required.Concat(entry.Optional).Distinct().Where(k => !MaterialLaw.Allowed.Contains(k)))
            {
                errors.Add($"{field}.required", kind == MaterialKind.SitePhoto
                    ? $"{type.Label}：实地核查照片由核查人员拍摄上传，不能要求申请人提交"
                    : $"{type.Label}：{MaterialLabels.Label(kind)}不在法定可要求的材料之内");
            }

            foreach (var kind in MaterialLaw.Required(type.Code).Where(k => !entry.Required.Contains(k)))
            {
                errors.Add($"{field}.required", $"{type.Label}：{MaterialLabels.Label(kind)}是法定必交材料，不能取消或改为选交");
            }

            foreach (var kind in entry.Required.Intersect(entry.Optional))
            {
                errors.Add($"{field}.optional", $"{type.Label}：{MaterialLabels.Label(kind)}不能既是必交又是选交");
            }

            return new MaterialChoice(
                entry.Required.Distinct().Select(k => k.ToString()).ToList(), entry.Optional.Distinct().Select(k => k.ToString()).ToList());
        }, errors);

        var changed = await materials.Choices.ChangeAsync(officer, Step, s.CountyCode, s.Version, wanted, errors, time,
            (_, next) => next,
            (t, old, next) => CountySettings<IntakeModule>.Changes(
                ($"{t.Label}必交", Text(old.Required), Text(next.Required)),
                ($"{t.Label}选交", Text(old.Optional), Text(next.Optional))),
            cancellationToken);
        return await ReplyAsync(changed, cancellationToken);
    }

    private static string Text(IReadOnlyList<string> kinds) =>
        string.Join("、", CountyMaterials.Kinds(kinds).Order().Select(MaterialLabels.Label));

    private async Task<MaterialSettings> ReplyAsync(CountyChoices<MaterialChoice> choices, CancellationToken cancellationToken)
    {
        var header = await materials.Choices.HeaderAsync(choices, cancellationToken);
        var reply = new MaterialSettings
        {
            CountyCode = header.CountyCode,
            CountyName = header.CountyName,
            Version = header.Version,
            UpdatedAt = header.UpdatedAt,
            UpdatedBy = header.UpdatedBy,
            Trail = { header.Trail },
        };
        foreach (var type in RequestTypes.All)
        {
            var choice = choices.Value[type.Code];
            reply.RequestTypes.Add(new RequestMaterials
            {
                RequestType = type.Proto,
                Label = type.Label,
                Required = { CountyMaterials.Kinds(choice.Required) },
                Optional = { CountyMaterials.Kinds(choice.Optional) },
                LegallyRequired = { MaterialLaw.Required(type.Code) },
                Allowed = { MaterialLaw.Allowed },
            });
        }

        return reply;
    }
}
