using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>合理布局 for the reviewer: nearest outlets and schools by haversine distance, and the county's rules.</summary>
public sealed class CheckLayout(LayoutRules rules, CaseAction action)
{
    public async Task<LayoutCheck> HandleAsync(CheckLayoutRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request.Action, errors, "action.");
        var site = new GeoPoint(request.Latitude, request.Longitude);
        if (!site.IsValid || (request.Latitude == 0 && request.Longitude == 0))
        {
            errors.Add("latitude", "请提供经营场所的经纬度");
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.ViewCase, errors, cancellationToken);
        var county = await action.EnsureAllowedAsync(officer, ReviewSteps.ViewCase, caseId, cancellationToken);
        var result = rules.Check(county, site);
        var reply = new LayoutCheck
        {
            RulesKnown = result.RulesKnown,
            Passes = result.Passes,
            OutletsWithinQuotaRadius = result.OutletsWithinQuotaRadius,
            MinDistanceToOutletMeters = result.Rules?.MinDistanceToOutletMeters ?? 0,
            MinDistanceToSchoolMeters = result.Rules?.MinDistanceToSchoolMeters ?? 0,
            QuotaRadiusMeters = result.Rules?.QuotaRadiusMeters ?? 0,
            QuotaMaxOutlets = result.Rules?.QuotaMaxOutlets ?? 0,
        };
        reply.NearestOutlets.AddRange(result.NearestOutlets.Select(ToMessage));
        reply.NearestSchools.AddRange(result.NearestSchools.Select(ToMessage));
        reply.Violations.AddRange(result.Violations);
        return reply;
    }

    private static NearbyPlace ToMessage(Nearby n) => new() { Name = n.Name, Kind = n.Kind, Meters = Math.Round(n.Meters, 1) };
}
