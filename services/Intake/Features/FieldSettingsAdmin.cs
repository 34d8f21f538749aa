using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Intake.Features;

/// <summary>
/// The law's bounds on the form: which choices a county has for a field of a request type. A field the licence, the
/// bureau's call and the service of the decision need (<see cref="FormRequirements.AlwaysRequired"/>) is always
/// required; so is a field the request type rests on, as the form check (<see cref="ApplicationFormValidator"/>,
/// <see cref="RequestRules"/>) and the services after it use it; a field a request type does not concern is never asked.
/// </summary>
public static class FieldLaw
{
    private static readonly IReadOnlyList<FieldRequirement> Any = [FieldRequirement.Required, FieldRequirement.Optional, FieldRequirement.NotAsked];

    /// <summary>The choices left to a county (one: the field is locked) and why the others are not (empty: all three).</summary>
    public static (IReadOnlyList<FieldRequirement> Allowed, string Reason) Bounds(string requestType, string field)
    {
        if (Why(requestType, field) is { } required)
        {
            return ([FieldRequirement.Required], required);
        }

        if (!Concerns(requestType, field))
        {
            return ([FieldRequirement.NotAsked], $"{RequestTypes.Label(requestType)}申请不涉及此项");
        }

        // An enterprise is known by its credit code: the holder check and the register match it, so it is always asked
        // (the form requires it of an enterprise whenever it is asked).
        return field == FormFields.CreditCode
            ? ([FieldRequirement.Required, FieldRequirement.Optional], "企业须填写统一社会信用代码，据此核验持证人，不能不询问")
            : (Any, "");
    }

    /// <summary>Why the field must be required in a request of this type; null when the county may choose.</summary>
    private static string? Why(string requestType, string field) => field switch
    {
        _ when FormRequirements.AlwaysRequired.Contains(field) => "许可证、审查决定和送达都需要此项",
        // The holder check: an individual business's licence is matched to its holder by the 负责人's ID number, and a
        // 新办 keeps it (as a digest) so that the holder's later requests can be matched.
        FormFields.IdNumber => "据此核验持证人（个体工商户凭负责人身份证号与许可证相符）",
        FormFields.LicenceNumber when requestType != RequestTypes.New => "申请针对现持有的许可证，须凭许可证号核验持证人",
        FormFields.LicenceValidTo when requestType == RequestTypes.Renewal => "延续须在有效期届满前的法定期限内提出，须据此核对",
        FormFields.SuspendFrom or FormFields.SuspendUntil when requestType == RequestTypes.Suspend => "停业的起止日期即核准和恢复的依据",
        FormFields.ChangeItems when requestType == RequestTypes.Change => "变更须写明变更事项",
        // The licence states the premises: a 新办 issues it there, a 变更 of the address reissues it with the new one.
        FormFields.PremisesAddress when requestType is RequestTypes.New or RequestTypes.Change => "许可证载明经营场所，须据此发证或换证",
        // The licence runs no longer than the lease (issue and 延续 alike): the lease's end is asked when leased.
        FormFields.PremisesTenure or FormFields.LeaseEndDate when requestType is RequestTypes.New or RequestTypes.Renewal
            => "许可证有效期不超过租赁期限，须据此核定",
        _ => null,
    };

    /// <summary>Does a request of this type concern the field at all.</summary>
    private static bool Concerns(string requestType, string field) => field switch
    {
        FormFields.LicenceNumber or FormFields.LicenceValidTo => requestType != RequestTypes.New,
        FormFields.SuspendFrom or FormFields.SuspendUntil => requestType == RequestTypes.Suspend,
        FormFields.ChangeItems or FormFields.ChangedOn => requestType == RequestTypes.Change,
        _ => true,
    };

    /// <summary>The word the settings page uses for a choice.</summary>
    public static string Word(FieldRequirement requirement) => requirement switch
    {
        FieldRequirement.Required => "必填",
        FieldRequirement.Optional => "选填",
        _ => "不询问",
    };
}

/// <summary>
/// How the form asks for each field, as in force: the 系统管理员's stored choice per request type (field →
/// Required/Optional/NotAsked, <see cref="RequestTypeSettings{TChoice}"/>, read on every use, so the next form and the
/// next submission of any replica follow it), else requirements.json's (<see cref="FormRequirements"/>); a field the
/// stored choice does not name keeps the file's.
/// </summary>
public sealed class CountyFields(FormRequirements file, CountySettings<IntakeModule> settings, StepRunner<IntakeModule> steps, CountyDirectory counties)
{
    public const string Kind = "fields";

    public RequestTypeSettings<Dictionary<string, string>> Choices { get; } = new(Kind, settings, steps, counties, (county, type, stored) =>
    {
        var spec = file.For(county, type);
        return FormRequirements.Fields.ToDictionary(
            f => f,
            f => (stored?.GetValueOrDefault(f) is { } name && FormRequirements.TryParse(name, out var own) ? own : spec[f]).ToString(),
            StringComparer.Ordinal);
    });

    /// <summary>The form of a request type in a county (county "" or unknown: the common form).</summary>
    public async Task<IReadOnlyDictionary<string, FieldRequirement>> ForAsync(string county, string requestType, CancellationToken cancellationToken) =>
        Spec(await Choices.ForAsync(county, requestType, cancellationToken));

    /// <summary>The same, inside a step's transaction.</summary>
    public async Task<IReadOnlyDictionary<string, FieldRequirement>> ForAsync(DbSession session, string county, string requestType) =>
        Spec(await Choices.ForAsync(session, county, requestType));

    /// <summary>A stored choice as requirements; whatever is stored, the always-required fields stay required.</summary>
    public static IReadOnlyDictionary<string, FieldRequirement> Spec(Dictionary<string, string> choice) =>
        FormRequirements.Fields.ToDictionary(
            f => f,
            f => FormRequirements.AlwaysRequired.Contains(f) ? FieldRequirement.Required
                : FormRequirements.TryParse(choice.GetValueOrDefault(f), out var requirement) ? requirement : FieldRequirement.NotAsked,
            StringComparer.Ordinal);
}

/// <summary>
/// The 系统管理员's page on the county's form: reads each request type's fields with the law's bounds
/// (<see cref="FieldLaw"/>) and the trail; changes them in one audited step (<see cref="Step"/>). Applications already
/// submitted keep the form they were checked against.
/// </summary>
public sealed class FieldSettingsAdmin(CountyFields fields, TimeProvider time)
{
    public static readonly OfficerStep Step = new("ChangeFormFields", "修改本县申请表栏目", CountySettings<IntakeModule>.AdminRoles);

    public async Task<FieldSettings> GetAsync(GetFieldSettingsRequest request, Officer officer, CancellationToken cancellationToken) =>
        await ReplyAsync(await fields.Choices.ReadAsync(officer, Step, request.CountyCode, cancellationToken), cancellationToken);

    public async Task<FieldSettings> UpdateAsync(UpdateFieldSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var s = request.Settings ?? new FieldSettings();
        var errors = new FieldErrors();
        var wanted = RequestTypeSettings<Dictionary<string, string>>.Wanted(s.RequestTypes, e => e.RequestType, (entry, type, at) =>
        {
            var choice = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var j = 0; j < entry.Fields.Count; j++)
            {
                var (given, field) = (entry.Fields[j], $"{at}.fields[{j}]");
                if (!FormRequirements.Fields.Contains(given.Field))
                {
                    errors.Add($"{field}.field", $"{type.Label}：{Clip(given.Field)} 不是申请表中可设置的栏目");
                }
                else if (given.Requirement == FieldRequirement.Unspecified || !Enum.IsDefined(given.Requirement))
                {
                    errors.Add($"{field}.requirement", $"{type.Label}：请为{FormRequirements.Label(given.Field)}选择必填、选填或不询问");
                }
                else if (!choice.TryAdd(given.Field, given.Requirement.ToString()))
                {
                    errors.Add($"{field}.field", $"{type.Label}：{FormRequirements.Label(given.Field)}重复出现");
                }
                else if (FieldLaw.Bounds(type.Code, given.Field) is var (allowed, reason) && !allowed.Contains(given.Requirement))
                {
                    errors.Add($"{field}.requirement",
                        $"{type.Label}：{FormRequirements.Label(given.Field)}不能设为“{FieldLaw.Word(given.Requirement)}”（{reason}）");
                }
            }

            return choice;
        }, errors);

        var changed = await fields.Choices.ChangeAsync(officer, Step, s.CountyCode, s.Version, wanted, errors, time,
            (old, given) => FormRequirements.Fields.ToDictionary(f => f, f => given.GetValueOrDefault(f) ?? old[f], StringComparer.Ordinal),
            (t, old, next) => CountySettings<IntakeModule>.Changes(FormRequirements.Fields
                .Select(f => ($"{t.Label}·{FormRequirements.Label(f)}", (object)Word(old[f]), (object)Word(next[f])))
                .ToArray()),
            cancellationToken);
        return await ReplyAsync(changed, cancellationToken);
    }

    private static string Word(string stored) =>
        FieldLaw.Word(FormRequirements.TryParse(stored, out var requirement) ? requirement : FieldRequirement.NotAsked);

    private static string Clip(string value) => value.Length <= 30 ? value : value[..30] + "…";

    private async Task<FieldSettings> ReplyAsync(CountyChoices<Dictionary<string, string>> choices, CancellationToken cancellationToken)
    {
        var header = await fields.Choices.HeaderAsync(choices, cancellationToken);
        var reply = new FieldSettings
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
            var spec = CountyFields.Spec(choices.Value[type.Code]);
            var entry = new RequestFields { RequestType = type.Proto, Label = type.Label };
            foreach (var field in FormRequirements.Fields)
            {
                var (allowed, reason) = FieldLaw.Bounds(type.Code, field);
                entry.Fields.Add(new FieldSetting
                {
                    Field = field,
                    Label = FormRequirements.Label(field),
                    Requirement = spec[field],
                    Allowed = { allowed },
                    LockedReason = reason,
                });
            }

            reply.RequestTypes.Add(entry);
        }

        return reply;
    }
}
