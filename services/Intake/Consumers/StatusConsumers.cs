using Permits.Contracts.Certificate;
using Permits.Contracts.Delivery;
using Permits.Contracts.Review;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Intake.Consumers;

/// <summary>
/// Intake follows the case through the other services so the applicant's status is always current. Events from
/// different services may arrive out of order: the history takes every step, the status only ever moves forward.
/// </summary>
public abstract class StatusConsumer<TMessage>(ServiceDatabase<IntakeModule> database, ILogger logger)
    : InboxConsumer<IntakeModule, TMessage>(database, logger)
    where TMessage : class
{
    private const string CurrentSql = "SELECT status FROM applications WHERE id = @Id";

    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id";

    /// <summary>Sets the status regardless of rank, if it is still undecided (corrections, refusals).</summary>
    protected async Task<bool> SetIfUndecidedAsync(DbSession session, Guid applicationId, string status, DateTimeOffset at, string note)
    {
        var current = await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
            ?? throw new InvalidOperationException($"Application {applicationId} is not known to Intake yet.");
        await History.AddAsync(session, applicationId, status, at, note);
        if (!ApplicationStatus.Undecided(current))
        {
            return false;
        }

        await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status });
        return true;
    }

    protected async Task AdvanceAsync(DbSession session, Guid applicationId, string status, DateTimeOffset at, string note)
    {
        var current = await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
            ?? throw new InvalidOperationException($"Application {applicationId} is not known to Intake yet.");
        await History.AddAsync(session, applicationId, status, at, note);
        if (ApplicationStatus.Rank(status) > ApplicationStatus.Rank(current))
        {
            await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status });
        }
    }
}

public sealed class ApplicationAcceptedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ApplicationAcceptedConsumer> logger)
    : StatusConsumer<ApplicationAccepted>(database, logger)
{
    private const string DueSql = "UPDATE applications SET decision_due_by = @DueBy WHERE id = @Id";

    protected override async Task HandleAsync(ApplicationAccepted message, DbSession session, CancellationToken cancellationToken)
    {
        await AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Accepted, message.AcceptedAt,
            $"受理通知书 {message.DocumentNumber}；法定审批期限至 {message.DecisionDueBy:yyyy-MM-dd}");
        await session.ExecuteAsync(DueSql, new { Id = message.ApplicationId, DueBy = message.DecisionDueBy });
    }
}

public sealed class LicenceApprovedConsumer(ServiceDatabase<IntakeModule> database, ILogger<LicenceApprovedConsumer> logger)
    : StatusConsumer<LicenceApproved>(database, logger)
{
    protected override Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Approved, message.ApprovedAt,
            $"准予行政许可决定书 {message.DocumentNumber}");
}

public sealed class CertificateIssuedConsumer(ServiceDatabase<IntakeModule> database, ILogger<CertificateIssuedConsumer> logger)
    : StatusConsumer<CertificateIssued>(database, logger)
{
    private const string LicenceSql = "UPDATE applications SET licence_number = @LicenceNumber WHERE id = @Id";

    protected override async Task HandleAsync(CertificateIssued message, DbSession session, CancellationToken cancellationToken)
    {
        await AdvanceAsync(session, message.ApplicationId, ApplicationStatus.CertificateIssued, message.IssuedAt,
            $"许可证号 {message.LicenceNumber}，有效期至 {message.ValidTo:yyyy-MM-dd}");
        await session.ExecuteAsync(LicenceSql, new { Id = message.ApplicationId, message.LicenceNumber });
    }
}

public sealed class ShipmentDispatchedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentDispatchedConsumer> logger)
    : StatusConsumer<ShipmentDispatched>(database, logger)
{
    private const string WaybillSql = "UPDATE applications SET waybill_number = @WaybillNumber WHERE id = @Id";

    protected override async Task HandleAsync(ShipmentDispatched message, DbSession session, CancellationToken cancellationToken)
    {
        await AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Dispatched, message.DispatchedAt,
            $"{message.Courier} 运单号 {message.WaybillNumber}");
        await session.ExecuteAsync(WaybillSql, new { Id = message.ApplicationId, message.WaybillNumber });
    }
}

public sealed class ShipmentDeliveredConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentDeliveredConsumer> logger)
    : StatusConsumer<ShipmentDelivered>(database, logger)
{
    protected override Task HandleAsync(ShipmentDelivered message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Delivered, message.DeliveredAt, "许可证已签收");
}

public sealed class DeliveryFailedConsumer(ServiceDatabase<IntakeModule> database, ILogger<DeliveryFailedConsumer> logger)
    : StatusConsumer<DeliveryFailed>(database, logger)
{
    protected override Task HandleAsync(DeliveryFailed message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, message.ApplicationId, ApplicationStatus.DeliveryFailed, message.FailedAt, message.Reason);
}

/// <summary>补正材料告知书: every item is kept so the applicant sees them all at once; an earlier open notice is superseded.</summary>
public sealed class CorrectionRequestedConsumer(ServiceDatabase<IntakeModule> database, ILogger<CorrectionRequestedConsumer> logger)
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
        var open = await SetIfUndecidedAsync(session, message.ApplicationId, ApplicationStatus.CorrectionRequested, message.RequestedAt,
            $"补正材料告知书 {message.DocumentNumber}：共 {message.Items.Count} 项需补正");
        if (!open)
        {
            return;
        }

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
        SetIfUndecidedAsync(session, message.ApplicationId, ApplicationStatus.NotAccepted, message.DecidedAt,
            Note($"不予受理决定书 {message.DocumentNumber}：{string.Join("；", message.Reasons)}。{message.RemedyNotice}"));

    internal static string Note(string text) => text.Length <= 500 ? text : text[..499] + "…";
}

public sealed class LicenceDeniedConsumer(ServiceDatabase<IntakeModule> database, ILogger<LicenceDeniedConsumer> logger)
    : StatusConsumer<LicenceDenied>(database, logger)
{
    protected override Task HandleAsync(LicenceDenied message, DbSession session, CancellationToken cancellationToken) =>
        SetIfUndecidedAsync(session, message.ApplicationId, ApplicationStatus.Denied, message.DeniedAt,
            ApplicationNotAcceptedConsumer.Note($"不予行政许可决定书 {message.DocumentNumber}：{string.Join("；", message.Reasons)}。{message.RemedyNotice}"));
}
