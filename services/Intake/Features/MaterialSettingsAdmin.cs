using Google.Protobuf.WellKnownTypes;
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
/// (<see cref="CountySettings{TService}"/>, read on every use, so the next form and the next submission of any replica
/// follow it), else requirements.json's list (all required, none optional).
/// </summary>
public sealed class CountyMaterials(MaterialRequirements file, CountySettings<IntakeModule> settings)
{
    public const string Kind = "materials";

    public async Task<(IReadOnlyList<MaterialKind> Required, IReadOnlyList<MaterialKind> Optional)> ForAsync(
        string county, string requestType, CancellationToken cancellationToken)
    {
        var stored = await settings.ReadAsync<Dictionary<string, MaterialChoice>>(Kind, county, cancellationToken);
        return stored?.Value.TryGetValue(requestType, out var choice) == true
            ? (Kinds(choice.Required), Kinds(choice.Optional))
            : (file.Materials(county, requestType), []);
    }

    /// <summary>Every request type's choice in force for a county (stored, else the file's).</summary>
    public async Task<Dictionary<string, MaterialChoice>> AllAsync(string county, Func<string, Task<StoredSettings<Dictionary<string, MaterialChoice>>?>> read)
    {
        var stored = (await read(county))?.Value ?? [];
        return RequestTypes.All.ToDictionary(
            t => t.Code,
            t => stored.GetValueOrDefault(t.Code) ?? new MaterialChoice(file.Materials(county, t.Code).Select(k => k.ToString()).ToList(), []),
            StringComparer.Ordinal);
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
public sealed class MaterialSettingsAdmin(CountySettings<IntakeModule> settings, CountyMaterials materials, CountyDirectory counties, TimeProvider time)
{
    public static readonly OfficerStep Step = new("ChangeMaterials", "修改本县申请材料", CountySettings<IntakeModule>.AdminRoles);

    public async Task<MaterialSettings> GetAsync(GetMaterialSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var target = await settings.TargetAsync(officer, Step, CountyMaterials.Kind, request.CountyCode, new FieldErrors(), cancellationToken);
        await settings.EnsureMayViewAsync(officer, Step, target);
        var code = CountySettings<IntakeModule>.CountyOf(target);
        var stored = await settings.ReadAsync<Dictionary<string, MaterialChoice>>(CountyMaterials.Kind, code, cancellationToken);
        return await ReplyAsync(code, await materials.AllAsync(code, _ => Task.FromResult(stored)), stored, target, cancellationToken);
    }

    public async Task<MaterialSettings> UpdateAsync(UpdateMaterialSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var s = request.Settings ?? new MaterialSettings();
        var errors = new FieldErrors();
        var wanted = new Dictionary<string, MaterialChoice>(StringComparer.Ordinal);
        for (var i = 0; i < s.RequestTypes.Count; i++)
        {
            var entry = s.RequestTypes[i];
            var field = $"settings.request_types[{i}]";
            if (!RequestTypes.TryGet(entry.RequestType, out var type))
            {
                errors.Add($"{field}.request_type", "请选择申请类型（新办、变更、延续等）");
                continue;
            }

            if (!wanted.TryAdd(type.Code, new MaterialChoice(
                    entry.Required.Distinct().Select(k => k.ToString()).ToList(), entry.Optional.Distinct().Select(k => k.ToString()).ToList())))
            {
                errors.Add($"{field}.request_type", $"{type.Label}重复出现");
                continue;
            }

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
        }

        var target = await settings.TargetAsync(officer, Step, CountyMaterials.Kind, s.CountyCode, errors, cancellationToken);
        var stored = await settings.ChangeAsync(officer, Step, target, CountyMaterials.Kind, s.Version, time,
            async (session, county) =>
            {
                var old = await materials.AllAsync(county, c => CountySettings<IntakeModule>.ReadAsync<Dictionary<string, MaterialChoice>>(
                    session.Connection, session.Transaction, CountyMaterials.Kind, c));
                var next = new Dictionary<string, MaterialChoice>(old, StringComparer.Ordinal);
                foreach (var (code, choice) in wanted)
                {
                    next[code] = choice;
                }

                var changes = RequestTypes.All.Select(t => CountySettings<IntakeModule>.Changes(
                        ($"{t.Label}必交", Text(old[t.Code].Required), Text(next[t.Code].Required)),
                        ($"{t.Label}选交", Text(old[t.Code].Optional), Text(next[t.Code].Optional))))
                    .Where(c => c.Length > 0);
                return (next, string.Join("；", changes));
            }, cancellationToken);
        var county = CountySettings<IntakeModule>.CountyOf(target);
        return await ReplyAsync(county, stored.Value, stored.Version > 0 ? stored : null, target, cancellationToken);
    }

    private static string Text(IReadOnlyList<string> kinds) =>
        string.Join("、", CountyMaterials.Kinds(kinds).Order().Select(MaterialLabels.Label));

    private async Task<MaterialSettings> ReplyAsync(
        string county, Dictionary<string, MaterialChoice> value, StoredSettings<Dictionary<string, MaterialChoice>>? stored,
        StepTarget<string> target, CancellationToken cancellationToken)
    {
        var reply = new MaterialSettings
        {
            CountyCode = county,
            CountyName = counties.TryGet(county, out var entry) ? entry.Name : county,
            Version = stored?.Version ?? 0,
            UpdatedBy = stored?.UpdatedBy ?? "",
        };
        if (stored?.UpdatedAt is { } at)
        {
            reply.UpdatedAt = Timestamp.FromDateTimeOffset(at);
        }

        foreach (var type in RequestTypes.All)
        {
            var choice = value.GetValueOrDefault(type.Code) ?? new MaterialChoice([], []);
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

        reply.Trail.AddRange(await settings.TrailAsync(target, (at, who, outcome, detail) => new SettingsChange
        {
            OccurredAt = at, Officer = who, Outcome = outcome, Detail = detail,
        }, cancellationToken));
        return reply;
    }
}
