using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;
using CorrectionItemEvent = Permits.Contracts.Review.CorrectionItem;
using CorrectionRequestedEvent = Permits.Contracts.Review.CorrectionRequested;

namespace Permits.Review.Features;

/// <summary>
/// 补正材料告知书: one notice listing every item to fix (一次性告知). The legal clock pauses with the working days it
/// had left and resumes when the applicant resubmits.
/// </summary>
public sealed class RequestCorrection(CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE review_cases SET stage = @Stage, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string ItemSql = """
        INSERT INTO review_correction_items (document_number, position, case_id, material, reason)
        VALUES (@Document, @Position, @CaseId, @Material, @Reason)
        """;

    private const string NoticeSql = """
        INSERT INTO review_correction_notices (document_number, case_id, requested_at, requested_by, requested_by_name)
        VALUES (@Document, @CaseId, @RequestedAt, @OfficerId, @OfficerName)
        """;

    public async Task<Case> HandleAsync(RequestCorrectionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request.Action, errors, "action.");
        var items = request.Items
            .Select(i => new CorrectionItemEvent(i.Material.Trim(), i.Reason.Trim()))
            .Where(i => i.Material.Length > 0 || i.Reason.Length > 0)
            .ToList();
        if (items.Count == 0)
        {
            errors.Add("items", "补正告知须一次列明全部需要补正的材料");
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Material.Length is 0 or > 200)
            {
                errors.Add($"items[{i}].material", "请写明需补正的材料名称（不超过 200 个字）");
            }

            if (items[i].Reason.Length is 0 or > 1000)
            {
                errors.Add($"items[{i}].reason", "请写明补正的具体要求（不超过 1000 个字）");
            }
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.RequestCorrection, errors, cancellationToken);
        return await action.IssueAsync(officer, caseId, ReviewSteps.RequestCorrection,
            [CaseStage.AwaitingAcceptance, CaseStage.UnderReview], async (session, row) =>
            {
                var now = time.GetUtcNow();
                var today = ChinaTime.DateOf(now);
                var county = counties.Get(row.CountyCode);
                CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
                {
                    Id = caseId,
                    row.Version,
                    Stage = CaseStage.AwaitingCorrection,
                }));
                var paused = clock.Pause(row.Clock, today);
                await CaseClock.SaveAsync(session, clock, caseId, row.CountyCode, paused, now);
                return new DocumentStep(county, DocumentNumbers.Correction, now, CaseStage.AwaitingCorrection, async document =>
                {
                    await session.ExecuteAsync(NoticeSql, new
                    {
                        Document = document, CaseId = caseId, RequestedAt = now, OfficerId = officer.Id, OfficerName = officer.Name,
                    });
                    for (var i = 0; i < items.Count; i++)
                    {
                        await session.ExecuteAsync(ItemSql, new
                        {
                            Document = document,
                            Position = i + 1,
                            CaseId = caseId,
                            items[i].Material,
                            items[i].Reason,
                        });
                    }

                    await session.PublishAsync(new CorrectionRequestedEvent(
                        row.ApplicationId, caseId, county.Code, document, items, officer.Id, now));
                    await session.DiscloseAsync(ReviewDisclosures.For(
                        ReviewDisclosures.CorrectionRequested, document, row, county, now,
                        $"{county.Authority}一次性告知{RequestTypes.Matter(row.RequestType)}申请需补正的材料（{document}）",
                        LicensingDisclosure.ForCase(row.ApplicationNumber, row.RequestType)
                            .With("补正告知文书号", document)
                            .With("补正事项数", items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
                            .Fields));
                    return $"补正告知 {document}，{items.Count} 项：{string.Join("；", items.Select(i => i.Material))}；计时暂停，剩余 {paused.RemainingWorkingDays} 个工作日";
                });
            }, cancellationToken);
    }
}
