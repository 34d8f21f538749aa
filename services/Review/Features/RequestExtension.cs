using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// An inspector or reviewer working a case under review asks the approving head to extend the decision period (延期),
/// with reasons. The case then also shows in the head's queue (step Extension) until the head extends the period
/// (<see cref="ExtendDecisionPeriod"/>) or decides the case; the work on it goes on meanwhile.
/// </summary>
public sealed class RequestExtension(CaseAction action, TimeProvider time)
{
    private const string Update = """
        UPDATE review_cases
        SET extension_requested_by = @OfficerId, extension_requested_by_name = @OfficerName, extension_requested_at = @Now,
            extension_request_reason = @Reason, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string UpdateSqlReturning = $"{Update}\n{CaseAction.ReturningCase}";

    private const string UpdateSqlSqlServer = $"{CaseAction.SqlServerBeforeUpdate}{Update}{CaseAction.SqlServerAfterUpdate}";

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (caseId, reason) = CaseAction.ValidateReasoned(request, errors, "请写明申请延长审批期限的理由");

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.RequestExtension, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.RequestExtension, [CaseStage.UnderReview], async (session, row) =>
        {
            StepRunner.Require(row.DecisionExtended == 0, ExtendDecisionPeriod.AlreadyExtended);
            StepRunner.Require(!row.ExtensionRequested, "本案已有延期申请，等待审批负责人处理");
            var saved = await CaseAction.UpdateVersionedAsync(session, UpdateSqlReturning, UpdateSqlSqlServer, new
            {
                Id = caseId, row.Version, OfficerId = officer.Id, OfficerName = officer.Name, Now = time.GetUtcNow(), Reason = reason,
            });
            return (saved, $"申请延长审批期限：{reason}");
        }, cancellationToken);
    }
}
