using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// 移交: the holder of a case's claim (or an approving head) hands it to a colleague, who then holds it for a fresh
/// lease. The colleague must be an officer of the case's county with a role for the step the case is at — Identity
/// says who they are (<see cref="SecondInspectors.FindAsync"/>, with the caller's own token), asked before the step's
/// transaction opens. The audit line names who handed the case to whom.
/// </summary>
public sealed class AssignCase(CaseAction action, SecondInspectors identity, ClaimSettings settings, TimeProvider time)
{
    private const string Assign = """
        UPDATE review_cases SET claimed_by = @To, claimed_by_name = @ToName, claim_expires_at = @Until, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string AssignSqlReturning = $"{Assign}\n{CaseAction.ReturningCase}";

    private const string AssignSqlSqlServer = $"{CaseAction.SqlServerBeforeUpdate}{Assign}{CaseAction.SqlServerAfterUpdate}";

    public async Task<Case> HandleAsync(AssignRequest request, Officer officer, string? authorization, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request.Action, errors, "action.");
        var to = request.OfficerId.Trim();
        if (to.Length is 0 or > 64)
        {
            errors.Add("officer_id", "请填写接办人员的工号");
        }

        Permits.Contracts.Identity.V1.Officer? colleague = null;
        if (!errors.Any && await action.MayAsync(officer, caseId, ReviewSteps.Assign, cancellationToken))
        {
            colleague = await identity.FindAsync(to, authorization, cancellationToken);
            if (colleague is null || colleague.CountyCode != officer.CountyCode)
            {
                errors.Add("officer_id", $"{to} 不是本县（市、区）的工作人员");
            }
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Assign, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.Assign, CaseStage.Open, async (session, row) =>
        {
            var now = time.GetUtcNow();
            var held = row.ClaimedBy is not null && row.ClaimExpiresAt > now;
            StepRunner.Require(
                (held && row.ClaimedBy == officer.Id) || officer.HasRole(Permits.Shared.Security.PermitsRoles.Head),
                "只有案件的领取人或审批负责人可以移交该案件");
            // MayAsync allowed the step, so Identity was asked: the colleague is known here.
            var taker = colleague ?? throw new InvalidOperationException("The colleague was not looked up.");
            StepRunner.Require(taker.OfficerId != row.ClaimedBy || !held, $"案件已由 {taker.DisplayName}（{taker.OfficerId}）办理，无需移交");
            var step = row.Step ?? CaseStep.Of(row);
            var roles = CaseStep.RolesFor(step);
            if (!taker.Roles.Any(roles.Contains))
            {
                new FieldErrors().Add("officer_id",
                    $"{taker.DisplayName}（{taker.OfficerId}）不在{string.Join("或", roles.Select(OfficerGuard.RoleLabel))}岗位，不能接办“{CaseStep.Label(step ?? "")}”的案件")
                    .ThrowIfAny();
            }

            var saved = await CaseAction.UpdateVersionedAsync(session, AssignSqlReturning, AssignSqlSqlServer, new
            {
                Id = caseId, row.Version, To = taker.OfficerId, ToName = taker.DisplayName, Until = now + settings.Lease,
            });
            var from = held ? $"{(string.IsNullOrEmpty(row.ClaimedByName) ? row.ClaimedBy : $"{row.ClaimedByName}（{row.ClaimedBy}）")}" : "队列";
            return (saved, $"由{from}移交给 {taker.DisplayName}（{taker.OfficerId}），租期至 {now + settings.Lease:O}");
        }, cancellationToken);
    }
}
