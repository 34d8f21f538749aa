using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// 合理布局 preview for an officer: the nearest licensed outlets and schools of a site and the county's distance rules.
/// The quota of the site's grid cell is the case's and is recorded with the inspection (<see cref="SiteLayout"/>).
/// </summary>
public sealed class CheckLayout(SiteLayout layout, CaseAction action, ServiceDatabase<ReviewModule> database)
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
        await using var connection = await database.OpenAsync(cancellationToken);
        return await layout.CheckAsync(connection, null, county, site, null);
    }
}
