using Permits.Contracts.Licensing;
using System.Text.Json;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;
using MeasuredDistanceEvent = Permits.Contracts.Review.MeasuredDistance;
using SiteInspectedEvent = Permits.Contracts.Review.SiteInspected;

namespace Permits.Review.Features;

/// <summary>
/// 实地核查: the visit record by two different inspectors of the case's county (location, floor area, distances, photos),
/// visited between the acceptance and today (China time). The second inspector is checked with Identity
/// (<see cref="SecondInspectors"/>), and both names are kept. A 新办 must be located: its 合理布局 check (the
/// county's real outlets, schools and 网格 quota) is recorded on the case with the inspection.
/// </summary>
public sealed class RecordInspection(
    CaseAction action, CountyDirectory counties, TimeProvider time, SecondInspectors inspectors, SiteLayout layout)
{
    private const string InsertSql = """
        INSERT INTO review_inspections (
            document_number, case_id, inspected_on, first_inspector, first_inspector_name, second_inspector,
            second_inspector_name, findings, measured_floor_area, distances, photo_references, premises_compliant,
            recorded_at, latitude, longitude)
        VALUES (@Document, @CaseId, @InspectedOn, @First, @FirstName, @Second, @SecondName, @Findings, @FloorArea,
            @Distances, @Photos, @Compliant, @RecordedAt, @Latitude, @Longitude)
        """;

    private const string UpdateSql = """
        UPDATE review_cases SET version = version + 1 WHERE id = @Id AND version = @Version
        """;

    /// <param name="authorization">The calling officer's Authorization header, forwarded to Identity.</param>
    public async Task<Case> HandleAsync(
        RecordInspectionRequest request, Officer officer, string? authorization, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request.Action, errors, "action.");
        var second = request.SecondInspectorId.Trim();
        if (second.Length is 0 or > 64)
        {
            errors.Add("second_inspector_id", "实地核查须由两名核查人员进行，请填写第二名核查人员工号");
        }
        else if (second == officer.Id)
        {
            errors.Add("second_inspector_id", "两名核查人员不能是同一人");
        }

        var today = time.Today();
        if (!ChinaTime.TryParseDate(request.InspectedOn, out var inspectedOn))
        {
            errors.Add("inspected_on", "请填写核查日期（yyyy-MM-dd）");
        }
        else if (inspectedOn > today)
        {
            errors.Add("inspected_on", "核查日期不能晚于今天");
        }

        var findings = request.Findings.Trim();
        if (findings.Length is 0 or > 2000)
        {
            errors.Add("findings", "请填写核查情况（不超过 2000 个字）");
        }

        if (request.MeasuredFloorArea is <= 0 or > 100_000 || double.IsNaN(request.MeasuredFloorArea))
        {
            errors.Add("measured_floor_area", "请填写实测经营面积（平方米）");
        }

        if (request.Distances.Count == 0)
        {
            errors.Add("distances", "请至少填写一项实测距离（最近零售户、学校或幼儿园）");
        }

        for (var i = 0; i < request.Distances.Count; i++)
        {
            var distance = request.Distances[i];
            if (distance.Target.Trim().Length is 0 or > 100)
            {
                errors.Add($"distances[{i}].target", "请写明测量对象");
            }

            if (distance.Meters is < 0 or > 100_000 || double.IsNaN(distance.Meters))
            {
                errors.Add($"distances[{i}].meters", "距离须为 0–100000 米");
            }
        }

        if (request.PhotoReferences.Count > 50 || request.PhotoReferences.Any(p => p.Trim().Length is 0 or > 200))
        {
            errors.Add("photo_references", "照片编号无效");
        }

        var site = new GeoPoint(request.Latitude, request.Longitude);
        var located = request.Latitude != 0 || request.Longitude != 0;
        if (located && !(site.IsValid && double.IsFinite(request.Latitude) && double.IsFinite(request.Longitude)))
        {
            errors.Add(request.Latitude is >= -90 and <= 90 ? "longitude" : "latitude", "经纬度无效：纬度须在 -90 至 90 之间，经度须在 -180 至 180 之间");
        }

        string? secondName = null;
        if (!errors.Any && await action.MayAsync(officer, caseId, ReviewSteps.RecordInspection, cancellationToken))
        {
            // Only for a caller who may record this case's inspection: anyone else is refused (and audited) below.
            var (secondId, name, problem) = await inspectors.CheckAsync(second, officer, authorization, cancellationToken);
            secondName = name;
            if (problem is not null)
            {
                errors.Add("second_inspector_id", problem);
            }

            second = secondId ?? second;
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.RecordInspection, errors, cancellationToken);
        var distances = request.Distances
            .Select(d => new MeasuredDistanceEvent(d.Target.Trim(), Math.Round((decimal)d.Meters, 1)))
            .ToList();
        var photos = request.PhotoReferences.Select(p => p.Trim()).ToList();
        var floorArea = Math.Round((decimal)request.MeasuredFloorArea, 2);

        return await action.IssueAsync(officer, caseId, ReviewSteps.RecordInspection, [CaseStage.UnderReview], async (session, row) =>
        {
            var acceptedOn = ChinaTime.DateOf(row.AcceptedAt ?? row.ReceivedAt);
            if (inspectedOn < acceptedOn)
            {
                new FieldErrors().Add("inspected_on", $"核查日期不能早于受理日期（{ChinaTime.Text(acceptedOn)}）").ThrowIfAny();
            }

            var gated = SiteLayout.Gates(row.RequestType);
            if (gated && !located)
            {
                new FieldErrors().Add("latitude", "新办申请须填写经营场所的经纬度，用于合理布局核查").ThrowIfAny();
            }

            var now = time.GetUtcNow();
            var county = counties.Get(row.CountyCode);
            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new { Id = caseId, row.Version }));
            var check = gated ? await layout.RecordAsync(session, row, site) : null;
            return new DocumentStep(county, DocumentNumbers.Inspection, now, row.Stage, async document =>
            {
                await session.ExecuteAsync(InsertSql, new
                {
                    Document = document,
                    CaseId = caseId,
                    InspectedOn = inspectedOn,
                    First = officer.Id,
                    FirstName = officer.Name,
                    Second = second,
                    SecondName = secondName,
                    Findings = findings,
                    FloorArea = floorArea,
                    Distances = JsonSerializer.Serialize(distances),
                    Photos = JsonSerializer.Serialize(photos),
                    Compliant = request.PremisesCompliant ? 1 : 0,
                    RecordedAt = now,
                    Latitude = located ? request.Latitude : (double?)null,
                    Longitude = located ? request.Longitude : (double?)null,
                });
                await session.PublishAsync(new SiteInspectedEvent(
                    row.ApplicationId, caseId, county.Code, document, inspectedOn, officer.Id, second, findings, floorArea,
                    distances, photos, request.PremisesCompliant, now));
                await session.DiscloseAsync(ReviewDisclosures.For(
                    ReviewDisclosures.SiteInspected, document, row, county, now,
                    $"{county.Authority}完成{RequestTypes.Matter(row.RequestType)}申请的实地核查（{document}）",
                    LicensingDisclosure.ForCase(row.ApplicationNumber, row.RequestType)
                        .With("实地核查记录编号", document)
                        .With("核查日期", ChinaTime.Text(inspectedOn))
                        .Fields));
                var verdict = check is null ? "" : check.Passes ? "；合理布局核查通过" : $"；合理布局核查未通过：{string.Join("；", check.Violations)}";
                return $"实地核查记录 {document}（{officer.Id}、{second}，{ChinaTime.Text(inspectedOn)}）：{findings}{verdict}";
            });
        }, cancellationToken);
    }
}
