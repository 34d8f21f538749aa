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
