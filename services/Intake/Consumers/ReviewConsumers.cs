using Permits.Contracts.Review;
using Permits.Intake.Domain;
using Permits.Shared.Data;

namespace Permits.Intake.Consumers;

/// <summary>
/// 受理通知书: the decision is due by Review's date; the county's shorter promise (承诺时限) is shown beside it. Arriving
/// after the approval (other queues), it records its step and dates but leaves the deadline running then (送达) alone.
/// </summary>
public sealed class ApplicationAcceptedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ApplicationAcceptedConsumer> logger)
    : StatusConsumer<ApplicationAccepted>(database, logger)
{
    private const string DecisionDue = "decision_due_by = @DeadlineDueBy, promised_decision_due_by = @PromisedDecisionDueBy";

    private static readonly ApplicationUpdate Accept = ApplicationUpdate.Advancing(
        $"{ApplicantDeadlines.SetIfMovingColumns}, {DecisionDue}", $"{ApplicantDeadlines.SetIfMovingColumnsPostgres}, {DecisionDue}");

    protected override Task HandleAsync(ApplicationAccepted message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, Accept,
            new HistoryStep(message.ApplicationId, ApplicationStatus.Accepted, message.AcceptedAt,
                $"受理通知书 {message.DocumentNumber}；法定审批期限至 {message.DecisionDueBy:yyyy-MM-dd}",
                new IssuedDocument(IssuedDocument.Acceptance, message.DocumentNumber)),
            ApplicantDeadlines.DecisionOf(message.DecisionDueBy, message.DueDateProvisional),
            new { message.PromisedDecisionDueBy });
}

/// <summary>延长审批期限告知书: the decision comes later, by the new date.</summary>
public sealed class DecisionPeriodExtendedConsumer(ServiceDatabase<IntakeModule> database, ILogger<DecisionPeriodExtendedConsumer> logger)
    : StatusConsumer<DecisionPeriodExtended>(database, logger)
{
    private static readonly ApplicationUpdate Extend = ApplicationUpdate.Setting(ApplicantDeadlines.DecisionColumns);

    protected override Task HandleAsync(DecisionPeriodExtended message, DbSession session, CancellationToken cancellationToken) =>
        ChangeAsync(session, Extend,
            new HistoryStep(message.ApplicationId, ApplicationStatus.Extended, message.ExtendedAt,
                Note($"延长审批期限告知书 {message.DocumentNumber}：审批期限延长至 {message.DecisionDueBy:yyyy-MM-dd}。理由：{message.Reason}"),
                new IssuedDocument(IssuedDocument.Extension, message.DocumentNumber)),
            ApplicantDeadlines.DecisionOf(message.DecisionDueBy, message.DueDateProvisional));
}

/// <summary>
/// 准予行政许可: the licence is to be served by Review's date. The approval may arrive after the licence was already
/// served or the step applied (other queues): nothing is left to serve then, and no 送达期限 may reappear.
/// </summary>
public sealed class LicenceApprovedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<LicenceApprovedConsumer> logger)
    : StatusConsumer<LicenceApproved>(database, logger)
{
    private static readonly ApplicationUpdate Approve = ApplicationUpdate.Advancing(
        ApplicantDeadlines.SetUnlessConcludedColumns, ApplicantDeadlines.SetUnlessConcludedColumnsPostgres);

    protected override Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, Approve,
            new HistoryStep(message.ApplicationId, ApplicationStatus.Approved, message.ApprovedAt,
                $"准予行政许可决定书 {message.DocumentNumber}", new IssuedDocument(IssuedDocument.Approval, message.DocumentNumber)),
            deadlines.ServiceOf(message.ServiceDueBy),
            new { Concluded = ApplicationStatus.ConcludedStatuses });
}

/// <summary>补正材料告知书: every item is kept so the applicant sees them all at once; an earlier open notice is superseded.</summary>
public sealed class CorrectionRequestedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<CorrectionRequestedConsumer> logger)
    : StatusConsumer<CorrectionRequested>(database, logger)
{
    private const string SupersedeSql = """
        UPDATE application_corrections SET resolved_at = @At WHERE application_id = @Id AND resolved_at IS NULL
        """;

    private const string InsertItemSql = """
        INSERT INTO application_corrections (id, application_id, document_number, position, material, reason, requested_at)
        VALUES (@Id, @ApplicationId, @DocumentNumber, @Position, @Material, @Reason, @RequestedAt)
        """;

    protected override async Task HandleAsync(CorrectionRequested message, DbSession session, CancellationToken cancellationToken)
    {
        var open = await SetIfUndecidedAsync(session, new HistoryStep(
            message.ApplicationId, ApplicationStatus.CorrectionRequested, message.RequestedAt,
            $"补正材料告知书 {message.DocumentNumber}：共 {message.Items.Count} 项需补正",
            new IssuedDocument(IssuedDocument.Correction, message.DocumentNumber)));
        if (!open)
        {
            return;
        }

        await deadlines.PauseAsync(session, message.ApplicationId, message.RequestedAt);
        await session.ExecuteAsync(SupersedeSql,
            new { Id = message.ApplicationId, At = message.RequestedAt });
        var position = 0;
        foreach (var item in message.Items)
        {
            await session.ExecuteAsync(InsertItemSql, new
            {
                Id = Guid.NewGuid(),
                message.ApplicationId,
                message.DocumentNumber,
                Position = ++position,
                Material = Clip(item.Material, 200),
                Reason = Clip(item.Reason, 1000),
                message.RequestedAt,
            });
        }
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}

public sealed class ApplicationNotAcceptedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ApplicationNotAcceptedConsumer> logger)
    : StatusConsumer<ApplicationNotAccepted>(database, logger)
{
    protected override Task HandleAsync(ApplicationNotAccepted message, DbSession session, CancellationToken cancellationToken) =>
        RefuseAsync(session, new HistoryStep(message.ApplicationId, ApplicationStatus.NotAccepted, message.DecidedAt,
            Note($"不予受理决定书 {message.DocumentNumber}：{Grounds(message.Grounds, message.Reasons)}。{message.RemedyNotice}"),
            new IssuedDocument(IssuedDocument.NotAccepted, message.DocumentNumber)));
}

public sealed class LicenceDeniedConsumer(ServiceDatabase<IntakeModule> database, ILogger<LicenceDeniedConsumer> logger)
    : StatusConsumer<LicenceDenied>(database, logger)
{
    protected override Task HandleAsync(LicenceDenied message, DbSession session, CancellationToken cancellationToken) =>
        RefuseAsync(session, new HistoryStep(message.ApplicationId, ApplicationStatus.Denied, message.DeniedAt,
            Note($"不予行政许可决定书 {message.DocumentNumber}：{Grounds(message.Grounds, message.Reasons)}。{message.RemedyNotice}"),
            new IssuedDocument(IssuedDocument.Denial, message.DocumentNumber)));
}
