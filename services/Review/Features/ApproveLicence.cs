using Permits.Contracts.Disclosure;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// 准予行政许可: the numbered decision; the 10-working-day service limit starts. The decision is published for 双公示
/// with the national field codes; a natural person's name is masked. Refused while the layout check (run again now and
/// recorded) fails or the premises were found non-compliant (<see cref="DecisionGate"/>), unless the head writes why
/// they approve all the same: the reasons go into the audit and onto the case.
/// </summary>
public sealed class ApproveLicence(
    CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time, DecisionGate gate, SiteLayout layout)
{
    public const int MaxOverrideReasons = 10;
    public const int MaxOverrideReasonLength = 500;

    private const string OverrideSql = "UPDATE review_cases SET decision_override = @Reasons WHERE id = @Id";

    private const string UpdateSql = """
        UPDATE review_cases
        SET stage = @Stage, decided_at = @DecidedAt, decided_by = @OfficerId, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        var reasons = request.OverrideReasons.Select(r => r.Trim()).ToList();
        if (reasons.Count > MaxOverrideReasons)
        {
            errors.Add("override_reasons", $"理由最多 {MaxOverrideReasons} 条");
        }

        for (var i = 0; i < reasons.Count; i++)
        {
            if (reasons[i].Length is 0 or > MaxOverrideReasonLength)
            {
                errors.Add($"override_reasons[{i}]", $"请写明准予许可的理由（每条不超过 {MaxOverrideReasonLength} 个字，不能为空）");
            }
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Approve, errors, cancellationToken);
        return await action.IssueAsync(officer, caseId, ReviewSteps.Approve, [CaseStage.UnderReview], async (session, row) =>
        {
            ReviewRequirements.EnsureReadyForDecision(row, "准予许可");
            if (DecisionGate.LeaseEnded(row, time.Today()) is { } leaseEnded)
            {
                // Not a check the head may override: no reasons make a licence that ends before it starts.
                throw StepRunner.Precondition($"不能准予许可：{leaseEnded}");
            }

            var verdict = await gate.EvaluateAsync(session.Connection, session.Transaction, row);
            if (verdict.Layout is { } check)
            {
                await layout.RecordAsync(session, row, check);
            }

            StepRunner.Require(verdict.Overridable.Count == 0 || reasons.Count > 0,
                $"不能准予许可：{string.Join("；", verdict.Overridable)}。如确需准予，请逐条写明理由");
            var overridden = verdict.Overridable.Count > 0;
            if (overridden)
            {
                await session.ExecuteAsync(OverrideSql, new { Id = caseId, Reasons = string.Join("\n", reasons) });
            }
            var now = time.GetUtcNow();
            var today = ChinaTime.DateOf(now);
            var county = counties.Get(row.CountyCode);
            var service = clock.Decide(today);

            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
            {
                Id = caseId,
                row.Version,
                Stage = CaseStage.Approved,
                DecidedAt = now,
                OfficerId = officer.Id,
            }));
            await CaseClock.SaveAsync(session, clock, caseId, row.CountyCode, service, now);
            return new DocumentStep(county, DocumentNumbers.Approval, now, CaseStage.Approved, async document =>
            {
                await session.PublishAsync(new LicenceApproved(
                    row.ApplicationId, caseId, row.ApplicationNumber, county.Code, row.HolderType, row.BusinessName,
                    row.CreditCode, row.ResponsiblePerson, row.PremisesAddress, row.LeaseEndDate, document, officer.Id, now,
                    service.DueBy));
                await session.DiscloseAsync(Disclosures.For(
                    DisclosureKinds.LicenceApproved, row.ApplicationId, row.ApplicationNumber, county, now,
                    $"{county.Authority}准予{RequestTypes.Matter(row.RequestType)}（{document}）",
                    LicensingDisclosure.By(county)
                        .Holder(row.BusinessName, row.CreditCode ?? "", row.ResponsiblePerson)
                        .Decision("准予行政许可决定书", document, today)
                        .Content()
                        .Status(LicensingDisclosure.InForce)
                        .Fields));
                var detail = $"准予行政许可，决定书 {document}，送达期限 {ChinaTime.Text(service.DueBy)}";
                return overridden
                    ? $"{detail}；未通过的核查：{string.Join("；", verdict.Overridable)}；准予理由：{string.Join("；", reasons)}"
                    : detail;
            });
        }, cancellationToken);
    }
}
