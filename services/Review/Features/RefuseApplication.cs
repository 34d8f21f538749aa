using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// The two refusals: 不予受理 (at acceptance) and 不予行政许可 (the decision). Both are decisions the law requires to be
/// served, so both start the service limit. Each cites one or more legal grounds from the county's list
/// (<see cref="RefusalGrounds"/>), may add the officer's own words, and carries the notice of the right to
/// reconsideration or litigation.
/// </summary>
public sealed class RefuseApplication(
    CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time, RefusalGrounds grounds)
{
    public const int MaxGrounds = 10;

    private const string UpdateSql = """
        UPDATE review_cases
        SET stage = @Stage, decided_at = @DecidedAt, decided_by = @OfficerId, decision_reasons = @Reasons, decision_grounds = @Grounds, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public Task<Case> NotAcceptAsync(ReasonedActionRequest request, Officer officer, CancellationToken cancellationToken) =>
        RefuseAsync(request, officer, ReviewSteps.NotAccept, cancellationToken);

    public Task<Case> DenyAsync(ReasonedActionRequest request, Officer officer, CancellationToken cancellationToken) =>
        RefuseAsync(request, officer, ReviewSteps.Deny, cancellationToken);

    private async Task<Case> RefuseAsync(ReasonedActionRequest request, Officer officer, OfficerStep kind, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request.Action, errors, "action.");
        var reasons = request.Reasons.Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        if (reasons.Any(r => r.Length > 500) || reasons.Count > 20)
        {
            errors.Add("reasons", "理由最多 20 条，每条不超过 500 个字");
        }

        var cited = grounds.Resolve(officer.CountyCode, request.GroundCodes, out var unknown);
        if (unknown.Count > 0)
        {
            // Named back as sent, but never more than a few short ones: the message travels in a response header.
            var named = unknown.Take(5).Select(code => code.Length > 40 ? code[..40] + "…" : code);
            errors.Add("ground_codes", $"没有这项法定理由：{string.Join("、", named)}{(unknown.Count > 5 ? $" 等 {unknown.Count} 项" : "")}");
        }
        else if (cited.Count == 0)
        {
            errors.Add("ground_codes", "请至少选择一项法定理由");
        }
        else if (cited.Count > MaxGrounds)
        {
            errors.Add("ground_codes", $"法定理由最多选择 {MaxGrounds} 项");
        }

        await action.ThrowIfInvalidAsync(officer, caseId, kind, errors, cancellationToken);
        var notAccept = kind == ReviewSteps.NotAccept;
        string[] stages = notAccept ? [CaseStage.AwaitingAcceptance] : [CaseStage.UnderReview];
        return await action.IssueAsync(officer, caseId, kind, stages, async (session, row) =>
        {
            if (!notAccept)
            {
                ReviewRequirements.EnsureReadyForDecision(row, "作出不予许可决定");
            }

            var now = time.GetUtcNow();
            var today = ChinaTime.DateOf(now);
            var county = counties.Get(row.CountyCode);
            var remedy = ReviewDisclosures.RemedyNotice(county);
            var stage = notAccept ? CaseStage.NotAccepted : CaseStage.Denied;
            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
            {
                Id = caseId,
                row.Version,
                Stage = stage,
                DecidedAt = now,
                OfficerId = officer.Id,
                Reasons = string.Join('\n', reasons),
                Grounds = CaseGrounds.Serialize(cited),
            }));
            // Either refusal ends the case, and either must still be served within the service limit.
            var next = clock.Decide(today);
            await CaseClock.SaveAsync(session, clock, caseId, row.CountyCode, next, now);
            var kindOfDocument = notAccept ? DocumentNumbers.NotAccepted : DocumentNumbers.Denial;
            return new DocumentStep(county, kindOfDocument, now, stage, async document =>
            {
                var carried = cited.Select(g => g.ToContract()).ToList();
                if (notAccept)
                {
                    await session.PublishAsync(new ApplicationNotAccepted(
                        row.ApplicationId, caseId, county.Code, document, reasons, remedy, officer.Id, now) { Grounds = carried });
                }
                else
                {
                    await session.PublishAsync(new LicenceDenied(
                        row.ApplicationId, caseId, county.Code, document, reasons, remedy, officer.Id, now, next.DueBy)
                        { Grounds = carried });
                }

                var title = notAccept ? "不予受理决定书" : "不予行政许可决定书";
                await session.DiscloseAsync(ReviewDisclosures.For(
                    notAccept ? ReviewDisclosures.ApplicationNotAccepted : ReviewDisclosures.LicenceDenied, document, row, county, now,
                    $"{county.Authority}{(notAccept ? "不予受理" : "不予")}{RequestTypes.Matter(row.RequestType)}（{document}）",
                    LicensingDisclosure.By(county)
                        .Holder(row.BusinessName, row.CreditCode ?? "", row.ResponsiblePerson)
                        .Decision(title, document, today)
                        // Officers' free text: the case's own people are known by name here, the rest by pattern.
                        .With("理由", PersonalData.Deidentify(string.Join("；", [.. cited.Select(g => g.Text), .. reasons]), KnownNames(row)))
                        .Fields));
                return $"{title} {document}：{string.Join("；", [.. cited.Select(g => g.Text), .. reasons])}";
            });
        }, cancellationToken);
    }

    /// <summary>The natural persons the case names: masked wherever an officer's reason repeats them.</summary>
    private static string[] KnownNames(CaseRow row) => [row.ResponsiblePerson];
}
