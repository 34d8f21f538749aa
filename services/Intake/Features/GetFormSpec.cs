using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Shared.Domain;

namespace Permits.Intake.Features;

/// <summary>
/// The form of a request type in a county, as the submission is checked against it: each field with its words and
/// whether it is asked (<see cref="CountyFields"/>: the county's setting, else the file's), the materials in force (<see cref="CountyMaterials"/>) and the
/// limits of the request (<see cref="RequestRules"/>). The Portal draws the form and its labels from it.
/// </summary>
public sealed class GetFormSpec(
    CountyFields fields, CountyMaterials requirements, RequestRules rules, CountyDirectory counties)
{
    public async Task<FormSpec> HandleAsync(GetFormSpecRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var county = request.CountyCode.Trim();
        if (county.Length > 0 && !counties.TryGet(county, out _))
        {
            errors.Add(FormFields.CountyCode, "不是本系统服务的县级行政区划代码");
        }

        if (!RequestTypes.TryGet(request.RequestType, out var type))
        {
            errors.Add(FormFields.RequestType, "请选择申请类型（新办、变更、延续等）");
        }

        errors.ThrowIfAny();
        var spec = await fields.ForAsync(county, type.Code, cancellationToken);
        var (materials, optional) = await requirements.ForAsync(county, type.Code, cancellationToken);
        var reply = new FormSpec
        {
            CountyCode = county,
            RequestType = request.RequestType,
            RenewalMinDaysBeforeExpiry = rules.RenewalMinDaysBeforeExpiry,
            SuspendMinDaysBeforeStart = rules.SuspendMinDaysBeforeStart,
            SuspendMaxDays = RequestRules.SuspendMaxDays,
        };
        reply.Fields.AddRange(FormRequirements.Labels.Select(f => new FormField
        {
            Field = f.Field,
            Label = f.Label,
            Requirement = spec.TryGetValue(f.Field, out var configured) ? configured : Fixed(f.Field, spec, materials.Count),
        }));
        reply.Materials.AddRange(materials);
        reply.OptionalMaterials.AddRange(optional);
        return reply;
    }

    /// <summary>The materials a request type needs in a county (the older, smaller answer GetRequirements gives).</summary>
    public async Task<Requirements> RequirementsAsync(GetRequirementsRequest request, CancellationToken cancellationToken)
    {
        var reply = new Requirements { RenewalMinDaysBeforeExpiry = rules.RenewalMinDaysBeforeExpiry };
        if (RequestTypes.TryGet(request.RequestType, out var type))
        {
            reply.Materials.AddRange((await requirements.ForAsync(request.CountyCode.Trim(), type.Code, cancellationToken)).Required);
        }

        return reply;
    }

    /// <summary>
    /// The names no county configures: the county and the type are always asked; the delivery choice's parts follow
    /// it, but its address only for 快递到家; the materials when the type needs any; the upload box is optional.
    /// </summary>
    private static FieldRequirement Fixed(string field, IReadOnlyDictionary<string, FieldRequirement> spec, int materials) => field switch
    {
        FormFields.CountyCode or FormFields.RequestType => FieldRequirement.Required,
        FormFields.DeliveryAddress => FieldRequirement.Optional,
        FormFields.DeliveryMethod or FormFields.RecipientName or FormFields.RecipientPhone => spec[FormFields.Delivery],
        FormFields.Materials => materials > 0 ? FieldRequirement.Required : FieldRequirement.NotAsked,
        _ => FieldRequirement.Optional,
    };
}
