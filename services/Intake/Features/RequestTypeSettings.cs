using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Common.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Intake.Features;

/// <summary>One county's choices of one kind, as the 系统管理员's page shows them.</summary>
/// <param name="Value">Every request type's choice in force, by request-type code.</param>
/// <param name="Stored">The stored document; null while the county uses the file's choices.</param>
public sealed record CountyChoices<TChoice>(
    string County, Dictionary<string, TChoice> Value, StoredSettings<Dictionary<string, TChoice>>? Stored, StepTarget<string> Target);

/// <summary>What every settings answer starts with: the county, the version in force, who changed it last, and the trail.</summary>
public sealed record SettingsHeader(
    string CountyCode, string CountyName, int Version, Timestamp? UpdatedAt, string UpdatedBy, IReadOnlyList<SettingsChange> Trail);

/// <summary>
/// A county's choice per request type of one kind (the materials, the form's fields): the 系统管理员's stored document
/// (request-type code → choice, in <see cref="CountySettings{TService}"/>, read on every use, so the next form and the
/// next submission of any replica follow a change), else the deployment file's choice. Reading, changing (county and
/// role guard, version, audit) and the answer's header are the same for every kind; what a choice is, how it is checked
/// and how a change is put in words is the kind's own.
/// </summary>
/// <param name="resolve">The choice in force of a county and request-type code, given the stored one (null: none).</param>
public sealed class RequestTypeSettings<TChoice>(
    string kind, CountySettings<IntakeModule> settings, StepRunner<IntakeModule> steps, CountyDirectory counties,
    Func<string, string, TChoice?, TChoice> resolve)
    where TChoice : class
{
    public string Kind => kind;

    /// <summary>The choice in force for one request type (one primary-key read).</summary>
    public async Task<TChoice> ForAsync(string county, string requestType, CancellationToken cancellationToken)
    {
        var stored = await settings.ReadAsync<Dictionary<string, TChoice>>(kind, county, cancellationToken);
        return resolve(county, requestType, stored?.Value.GetValueOrDefault(requestType));
    }

    /// <summary>The same, read inside a step's transaction (a resubmission checked while its application is held).</summary>
    public async Task<TChoice> ForAsync(DbSession session, string county, string requestType) =>
        resolve(county, requestType, (await CountySettings<IntakeModule>.ReadAsync<Dictionary<string, TChoice>>(
            session.Connection, session.Transaction, kind, county))?.Value.GetValueOrDefault(requestType));

    /// <summary>Every request type's choice in force, given the stored document.</summary>
    public Dictionary<string, TChoice> InForce(string county, StoredSettings<Dictionary<string, TChoice>>? stored) =>
        RequestTypes.All.ToDictionary(t => t.Code, t => resolve(county, t.Code, stored?.Value.GetValueOrDefault(t.Code)), StringComparer.Ordinal);

    /// <summary>The administrator's read: the county named (own county only; a refusal is audited), then its choices.</summary>
    public async Task<CountyChoices<TChoice>> ReadAsync(Officer officer, OfficerStep step, string countyCode, CancellationToken cancellationToken)
    {
        var target = await settings.TargetAsync(officer, step, kind, countyCode, new FieldErrors(), cancellationToken);
        await settings.EnsureMayViewAsync(officer, step, target);
        var county = CountySettings<IntakeModule>.CountyOf(target);
        var stored = await settings.ReadAsync<Dictionary<string, TChoice>>(kind, county, cancellationToken);
        return new CountyChoices<TChoice>(county, InForce(county, stored), stored, target);
    }

    /// <summary>
    /// The choices an administrator sent, by request-type code: each entry's type must be known and given once (else a
    /// field error under <c>settings.request_types[i].request_type</c>); <paramref name="choose"/> checks the rest of
    /// the entry, adds its errors under the entry's field path and gives the choice (null: nothing to keep).
    /// </summary>
    public static Dictionary<string, TChoice> Wanted<TEntry>(
        IReadOnlyList<TEntry> entries, Func<TEntry, RequestType> typeOf, Func<TEntry, RequestTypeInfo, string, TChoice?> choose, FieldErrors errors)
    {
        var wanted = new Dictionary<string, TChoice>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"settings.request_types[{i}]";
            if (!RequestTypes.TryGet(typeOf(entries[i]), out var type))
            {
                errors.Add($"{field}.request_type", "请选择申请类型（新办、变更、延续等）");
            }
            else if (wanted.ContainsKey(type.Code))
            {
                errors.Add($"{field}.request_type", $"{type.Label}重复出现");
            }
            else if (choose(entries[i], type, field) is { } choice)
            {
                wanted[type.Code] = choice;
            }
        }

        return wanted;
    }

    /// <summary>
    /// Changes the county's choices in one audited step (<see cref="CountySettings{TService}.ChangeAsync{T}"/>): the
    /// county and role first, then <paramref name="errors"/> (nothing changed; the refusal and its reasons are in the
    /// trail, so the county sees what was tried), then the version (a stale one is refused and in the trail as well). Each wanted choice is
    /// put over the one in force by <paramref name="merge"/> (old, wanted); <paramref name="describe"/> says what changed
    /// in a request type (empty: nothing), and the whole document in force is stored.
    /// </summary>
    public async Task<CountyChoices<TChoice>> ChangeAsync(
        Officer officer, OfficerStep step, string countyCode, int version, Dictionary<string, TChoice> wanted, FieldErrors errors,
        TimeProvider time, Func<TChoice, TChoice, TChoice> merge, Func<RequestTypeInfo, TChoice, TChoice, string> describe,
        CancellationToken cancellationToken)
    {
        if (errors.Any)
        {
            var refused = await settings.TargetAsync(officer, step, kind, countyCode, new FieldErrors(), cancellationToken);
            await settings.EnsureMayViewAsync(officer, step, refused);
            await RefusedAsync(officer, step, refused, string.Join("；", errors.Items.Select(e => e.Message)));
            errors.ThrowIfAny();
        }

        var target = await settings.TargetAsync(officer, step, kind, countyCode, errors, cancellationToken);
        var stored = await ChangeStoredAsync(officer, step, target, version, time,
            async (session, county) =>
            {
                var old = InForce(county, await CountySettings<IntakeModule>.ReadAsync<Dictionary<string, TChoice>>(
                    session.Connection, session.Transaction, kind, county));
                var next = new Dictionary<string, TChoice>(old, StringComparer.Ordinal);
                foreach (var (code, choice) in wanted)
                {
                    next[code] = merge(old[code], choice);
                }

                var changes = RequestTypes.All.Select(t => describe(t, old[t.Code], next[t.Code])).Where(c => c.Length > 0);
                return (next, string.Join("；", changes));
            }, cancellationToken);
        var county = CountySettings<IntakeModule>.CountyOf(target);
        return new CountyChoices<TChoice>(county, stored.Value, stored.Version > 0 ? stored : null, target);
    }

    /// <summary>The stored change; one made on a version changed since (ABORTED, nothing written) is in the trail too.</summary>
    private async Task<StoredSettings<Dictionary<string, TChoice>>> ChangeStoredAsync(
        Officer officer, OfficerStep step, StepTarget<string> target, int version, TimeProvider time,
        Func<DbSession, string, Task<(Dictionary<string, TChoice> Value, string Changes)>> change, CancellationToken cancellationToken)
    {
        try
        {
            return await settings.ChangeAsync(officer, step, target, kind, version, time, change, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted)
        {
            await RefusedAsync(officer, step, target, ex.Status.Detail);
            throw;
        }
    }

    private Task RefusedAsync(Officer officer, OfficerStep step, StepTarget<string> target, string reasons)
    {
        var detail = "未保存：" + reasons;
        return steps.Audit.RefusedAsync(officer, step, target.SubjectId, CountySettings<IntakeModule>.CountyOf(target),
            detail.Length <= 2000 ? detail : detail[..2000] + "…");
    }

    /// <summary>The answer's header: the county and its name, the version, who changed it last and the trail.</summary>
    public async Task<SettingsHeader> HeaderAsync(CountyChoices<TChoice> choices, CancellationToken cancellationToken) => new(
        choices.County,
        counties.TryGet(choices.County, out var entry) ? entry.Name : choices.County,
        choices.Stored?.Version ?? 0,
        choices.Stored?.UpdatedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        choices.Stored?.UpdatedBy ?? "",
        await settings.TrailAsync(choices.Target, cancellationToken));
}
