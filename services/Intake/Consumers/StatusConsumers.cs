using Permits.Contracts.Certificate;
using Permits.Contracts.Delivery;
using Permits.Contracts.Licensing;
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
    protected async Task<bool> SetIfUndecidedAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        var current = await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
            ?? throw new InvalidOperationException($"Application {applicationId} is not known to Intake yet.");
        await History.AddAsync(session, applicationId, status, at, note, document);
        if (!ApplicationStatus.Undecided(current))
        {
            return false;
        }

        await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status });
        return true;
    }

    /// <summary>A step in the history only; the status stays.</summary>
    protected async Task AddHistoryAsync(
        DbSession session, Guid applicationId, string step, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        _ = await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
            ?? throw new InvalidOperationException($"Application {applicationId} is not known to Intake yet.");
        await History.AddAsync(session, applicationId, step, at, note, document);
    }

    /// <summary>Records the step and moves the status forward if it ranks higher; returns the status it has now.</summary>
    protected async Task<string> AdvanceAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        var current = await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
            ?? throw new InvalidOperationException($"Application {applicationId} is not known to Intake yet.");
        await History.AddAsync(session, applicationId, status, at, note, document);
        if (ApplicationStatus.Rank(status) > ApplicationStatus.Rank(current))
        {
            await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status });
            return status;
        }

        return current;
    }
}

public sealed class ApplicationAcceptedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<ApplicationAcceptedConsumer> logger)
    : StatusConsumer<ApplicationAccepted>(database, logger)
{
    protected override async Task HandleAsync(ApplicationAccepted message, DbSession session, CancellationToken cancellationToken)
    {
        await AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Accepted, message.AcceptedAt,
            $"受理通知书 {message.DocumentNumber}；法定审批期限至 {message.DecisionDueBy:yyyy-MM-dd}",
            new IssuedDocument(IssuedDocument.Acceptance, message.DocumentNumber));
        await deadlines.SetDecisionAsync(session, message.ApplicationId, message.DecisionDueBy, message.DueDateProvisional);
    }
}

/// <summary>延长审批期限告知书: the decision comes later, by the new date.</summary>
public sealed class DecisionPeriodExtendedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<DecisionPeriodExtendedConsumer> logger)
    : StatusConsumer<DecisionPeriodExtended>(database, logger)
{
    protected override async Task HandleAsync(DecisionPeriodExtended message, DbSession session, CancellationToken cancellationToken)
    {
        await AddHistoryAsync(session, message.ApplicationId, ApplicationStatus.Extended, message.ExtendedAt,
            ApplicationNotAcceptedConsumer.Note($"延长审批期限告知书 {message.DocumentNumber}：审批期限延长至 {message.DecisionDueBy:yyyy-MM-dd}。理由：{message.Reason}"),
            new IssuedDocument(IssuedDocument.Extension, message.DocumentNumber));
        await deadlines.SetDecisionAsync(session, message.ApplicationId, message.DecisionDueBy, message.DueDateProvisional);
    }
}

public sealed class LicenceApprovedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<LicenceApprovedConsumer> logger)
    : StatusConsumer<LicenceApproved>(database, logger)
{
    protected override async Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken)
    {
        var status = await AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Approved, message.ApprovedAt,
            $"准予行政许可决定书 {message.DocumentNumber}", new IssuedDocument(IssuedDocument.Approval, message.DocumentNumber));
        // The approval may arrive after the licence was already served or the step applied (other queues): nothing is
        // left to serve then, and no 送达期限 may reappear.
        if (!ApplicationStatus.Concluded(status))
        {
            await deadlines.SetServiceAsync(session, message.ApplicationId, message.ServiceDueBy);
        }
    }
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

public sealed class ShipmentDeliveredConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<ShipmentDeliveredConsumer> logger)
    : StatusConsumer<ShipmentDelivered>(database, logger)
{
    protected override async Task HandleAsync(ShipmentDelivered message, DbSession session, CancellationToken cancellationToken)
    {
        await AdvanceAsync(session, message.ApplicationId, ApplicationStatus.Delivered, message.DeliveredAt, "许可证已签收");
        await deadlines.StopAsync(session, message.ApplicationId);
    }
}

/// <summary>物流跟踪: each move of the shipment (picked up, in transit, redelivery, returning) is a step in the history.</summary>
public sealed class ShipmentProgressedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentProgressedConsumer> logger)
    : StatusConsumer<ShipmentProgressed>(database, logger)
{
    protected override Task HandleAsync(ShipmentProgressed message, DbSession session, CancellationToken cancellationToken) =>
        AddHistoryAsync(session, message.ApplicationId, ApplicationStatus.Tracking, message.OccurredAt,
            ApplicationNotAcceptedConsumer.Note($"{message.Detail}（运单号 {message.WaybillNumber}）"));
}

/// <summary>The licence waits at the service hall (chosen, or after a failed courier delivery).</summary>
public sealed class ShipmentAwaitingPickupConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentAwaitingPickupConsumer> logger)
    : StatusConsumer<ShipmentAwaitingPickup>(database, logger)
{
    protected override Task HandleAsync(ShipmentAwaitingPickup message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, message.ApplicationId, ApplicationStatus.AwaitingPickup, message.At,
            ApplicationNotAcceptedConsumer.Note((message.SwitchedFromCourier ? "快递未能送达，许可证已退回。" : "") +
                $"请持短信中的取件码到{message.PickupAddress}领取许可证"));
}

public sealed class DeliveryFailedConsumer(ServiceDatabase<IntakeModule> database, ILogger<DeliveryFailedConsumer> logger)
    : StatusConsumer<DeliveryFailed>(database, logger)
{
    protected override Task HandleAsync(DeliveryFailed message, DbSession session, CancellationToken cancellationToken) =>
        // The courier's words may name people or places: kept for the owner's own view only (GetApplication shows the
        // public a fixed note instead).
        AdvanceAsync(session, message.ApplicationId, ApplicationStatus.DeliveryFailed, message.FailedAt,
            ApplicationNotAcceptedConsumer.Note(message.Reason.Trim().Length > 0 ? message.Reason.Trim() : History.DeliveryFailedPublicNote));
}

/// <summary>
/// 停业, 恢复营业, 歇业 and 注销: once Certificate has applied the approved request to the licence, nothing is left to
/// issue or serve, so the request's application is concluded (办结) and may be rated. Events without the requesting
/// application (an officer acted on the licence directly) are not Intake's. An approval arriving later only adds its
/// step: the status never moves back and no deadline starts again.
/// </summary>
public abstract class LicenceStepConsumer<TMessage>(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger logger)
    : StatusConsumer<TMessage>(database, logger)
    where TMessage : class
{
    private const string LicenceSql = "UPDATE applications SET licence_number = @LicenceNumber WHERE id = @Id";

    protected async Task CompleteAsync(
        DbSession session, Guid? requestApplicationId, string licenceNumber, DateTimeOffset at, string step)
    {
        if (requestApplicationId is not { } applicationId)
        {
            return;
        }

        await AdvanceAsync(session, applicationId, ApplicationStatus.Completed, at,
            $"烟草专卖零售许可证 {licenceNumber} 已{step}，本事项办结");
        await session.ExecuteAsync(LicenceSql, new { Id = applicationId, LicenceNumber = licenceNumber });
        await deadlines.StopAsync(session, applicationId);
    }
}

public sealed class CertificateSuspendedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<CertificateSuspendedConsumer> logger)
    : LicenceStepConsumer<CertificateSuspended>(database, deadlines, logger)
{
    protected override Task HandleAsync(CertificateSuspended message, DbSession session, CancellationToken cancellationToken) =>
        CompleteAsync(session, message.RequestApplicationId, message.LicenceNumber, message.SuspendedAt, RequestTypes.Label(RequestTypes.Suspend));
}

public sealed class CertificateResumedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<CertificateResumedConsumer> logger)
    : LicenceStepConsumer<CertificateResumed>(database, deadlines, logger)
{
    protected override Task HandleAsync(CertificateResumed message, DbSession session, CancellationToken cancellationToken) =>
        CompleteAsync(session, message.RequestApplicationId, message.LicenceNumber, message.ResumedAt, RequestTypes.Label(RequestTypes.Resume));
}

/// <summary>歇业 (Kind "Closed") or 注销 (Kind "Cancelled").</summary>
public sealed class CertificateRevokedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<CertificateRevokedConsumer> logger)
    : LicenceStepConsumer<CertificateRevoked>(database, deadlines, logger)
{
    protected override Task HandleAsync(CertificateRevoked message, DbSession session, CancellationToken cancellationToken) =>
        CompleteAsync(session, message.RequestApplicationId, message.LicenceNumber, message.RevokedAt,
            RequestTypes.Label(message.Kind == "Closed" ? RequestTypes.Close : RequestTypes.Cancel));
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
        var open = await SetIfUndecidedAsync(session, message.ApplicationId, ApplicationStatus.CorrectionRequested, message.RequestedAt,
            $"补正材料告知书 {message.DocumentNumber}：共 {message.Items.Count} 项需补正",
            new IssuedDocument(IssuedDocument.Correction, message.DocumentNumber));
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

public sealed class ApplicationNotAcceptedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<ApplicationNotAcceptedConsumer> logger)
    : StatusConsumer<ApplicationNotAccepted>(database, logger)
{
    protected override async Task HandleAsync(ApplicationNotAccepted message, DbSession session, CancellationToken cancellationToken)
    {
        if (await SetIfUndecidedAsync(session, message.ApplicationId, ApplicationStatus.NotAccepted, message.DecidedAt,
                Note($"不予受理决定书 {message.DocumentNumber}：{string.Join("；", message.Reasons)}。{message.RemedyNotice}"),
                new IssuedDocument(IssuedDocument.NotAccepted, message.DocumentNumber)))
        {
            await deadlines.StopAsync(session, message.ApplicationId);
        }
    }

    internal static string Note(string text) => text.Length <= 500 ? text : text[..499] + "…";
}

public sealed class LicenceDeniedConsumer(
    ServiceDatabase<IntakeModule> database, ApplicantDeadlines deadlines, ILogger<LicenceDeniedConsumer> logger)
    : StatusConsumer<LicenceDenied>(database, logger)
{
    protected override async Task HandleAsync(LicenceDenied message, DbSession session, CancellationToken cancellationToken)
    {
        if (await SetIfUndecidedAsync(session, message.ApplicationId, ApplicationStatus.Denied, message.DeniedAt,
                ApplicationNotAcceptedConsumer.Note($"不予行政许可决定书 {message.DocumentNumber}：{string.Join("；", message.Reasons)}。{message.RemedyNotice}"),
                new IssuedDocument(IssuedDocument.Denial, message.DocumentNumber)))
        {
            await deadlines.StopAsync(session, message.ApplicationId);
        }
    }
}
