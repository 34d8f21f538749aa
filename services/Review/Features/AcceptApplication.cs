using Permits.Contracts.Disclosure;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>受理: issues the numbered acceptance notice and starts the 20-working-day decision clock.</summary>
public sealed class AcceptApplication(
    ServiceDatabase<ReviewModule> database, CountyDirectory counties, WorkingDayCalendar calendar, TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE review_cases
        SET stage = @Stage, accepted_at = @AcceptedAt, accepted_by = @OfficerId, acceptance_document = @Document,
            due_by = @DueBy, due_provisional = @DueProvisional, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(CaseActionRequest request, CancellationToken cancellationToken)
    {
        var (caseId, officer) = CaseAction.Validate(request);
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);

        await using var session = await database.BeginAsync(cancellationToken);
        var row = await CaseAction.LoadInStageAsync(session, caseId, CaseStage.AwaitingAcceptance, "受理");
        var county = counties.Get(row.CountyCode);
        var document = await DocumentNumbers.NextAsync(session, county, DocumentNumbers.Acceptance, today.Year);
        var due = calendar.AddWorkingDays(today, 20);

        CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
        {
            Id = caseId,
            row.Version,
            Stage = CaseStage.UnderReview,
            AcceptedAt = now,
            OfficerId = officer,
            Document = document,
            DueBy = due.Date,
            DueProvisional = due.Provisional ? 1 : 0,
        }));
        await session.PublishAsync(new ApplicationAccepted(
            row.ApplicationId, caseId, county.Code, document, officer, now, due.Date, due.Provisional));
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.ApplicationAccepted, row.ApplicationId, row.ApplicationNumber, county, now,
            $"{county.Authority}受理{Disclosures.Matter}申请",
            new Dictionary<string, string>
            {
                ["事项名称"] = Disclosures.Matter,
                ["申请编号"] = row.ApplicationNumber,
                ["受理文书号"] = document,
                ["法定办结期限"] = due.Date.ToString("yyyy-MM-dd"),
            }));
        var updated = await CaseAction.ReloadAsync(session, caseId);
        await session.CommitAsync(cancellationToken);
        return CaseQueries.ToMessage(updated);
    }
}
