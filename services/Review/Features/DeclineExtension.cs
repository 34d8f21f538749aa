using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// The approving head does not grant a pending 延期 request (<see cref="RequestExtension"/>): the request is cleared, so
/// the case leaves the head's Extension step instead of waiting there forever, and the reason goes into the audit
/// detail, where the case's history shows it to the requester with who and when. The work on the case goes on, and
/// the period can still be asked for again.
/// </summary>
public sealed class DeclineExtension(CaseAction action)
{
    /// <summary>Nothing to answer: no request is pending (never asked, already answered, or the case decided).</summary>
    public const string NoPendingRequest = "本案没有待处理的延期申请";

    private const string Update = """
        UPDATE review_cases
        SET extension_requested_by = NULL, extension_requested_by_name = NULL, extension_requested_at = NULL,
            extension_request_reason = NULL, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string UpdateSqlReturning = $"{Update}\n{CaseAction.ReturningCase}";

    private const string UpdateSqlSqlServer = $"{CaseAction.SqlServerBeforeUpdate}{Update}{CaseAction.SqlServerAfterUpdate}";

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (caseId, reason) = CaseAction.ValidateReasoned(request, errors, "请写明不同意延长审批期限的理由");

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.DeclineExtension, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.DeclineExtension, [CaseStage.UnderReview], async (session, row) =>
        {
            StepRunner.Require(row.ExtensionRequested, NoPendingRequest);
            var saved = await CaseAction.UpdateVersionedAsync(session, UpdateSqlReturning, UpdateSqlSqlServer, new { Id = caseId, row.Version });
            return (saved, $"不同意 {row.ExtensionRequester} 的延期申请（{row.ExtensionRequestReason}）：{reason}");
        }, cancellationToken);
    }
}
