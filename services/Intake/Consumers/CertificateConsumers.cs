using Permits.Contracts.Certificate;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Shared.Data;

namespace Permits.Intake.Consumers;

public sealed class CertificateIssuedConsumer(ServiceDatabase<IntakeModule> database, ILogger<CertificateIssuedConsumer> logger)
    : StatusConsumer<CertificateIssued>(database, logger)
{
    private static readonly ApplicationUpdate Issue = ApplicationUpdate.Advancing("licence_number = @LicenceNumber");

    protected override Task HandleAsync(CertificateIssued message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, Issue,
            new HistoryStep(message.ApplicationId, ApplicationStatus.CertificateIssued, message.IssuedAt,
                $"许可证号 {message.LicenceNumber}，有效期至 {message.ValidTo:yyyy-MM-dd}"),
            new { message.LicenceNumber });
}

/// <summary>
/// 停业, 恢复营业, 歇业 and 注销: once Certificate has applied the approved request to the licence, nothing is left to
/// issue or serve, so the request's application is concluded (办结) and may be rated. Events without the requesting
/// application (an officer acted on the licence directly) are not Intake's. An approval arriving later only adds its
/// step: the status never moves back and no deadline starts again.
/// </summary>
public abstract class LicenceStepConsumer<TMessage>(ServiceDatabase<IntakeModule> database, ILogger logger)
    : StatusConsumer<TMessage>(database, logger)
    where TMessage : class
{
    private static readonly ApplicationUpdate Complete =
        ApplicationUpdate.Advancing($"licence_number = @LicenceNumber, {ApplicantDeadlines.ClearColumns}");

    protected static Task CompleteAsync(
        DbSession session, Guid? requestApplicationId, string licenceNumber, DateTimeOffset at, string step) =>
        requestApplicationId is not { } applicationId
            ? Task.CompletedTask
            : AdvanceAsync(session, Complete,
                new HistoryStep(applicationId, ApplicationStatus.Completed, at, $"烟草专卖零售许可证 {licenceNumber} 已{step}，本事项办结"),
                new { LicenceNumber = licenceNumber });
}

public sealed class CertificateSuspendedConsumer(
    ServiceDatabase<IntakeModule> database, ILogger<CertificateSuspendedConsumer> logger)
    : LicenceStepConsumer<CertificateSuspended>(database, logger)
{
    protected override Task HandleAsync(CertificateSuspended message, DbSession session, CancellationToken cancellationToken) =>
        CompleteAsync(session, message.RequestApplicationId, message.LicenceNumber, message.SuspendedAt, RequestTypes.Label(RequestTypes.Suspend));
}

public sealed class CertificateResumedConsumer(
    ServiceDatabase<IntakeModule> database, ILogger<CertificateResumedConsumer> logger)
    : LicenceStepConsumer<CertificateResumed>(database, logger)
{
    protected override Task HandleAsync(CertificateResumed message, DbSession session, CancellationToken cancellationToken) =>
        CompleteAsync(session, message.RequestApplicationId, message.LicenceNumber, message.ResumedAt, RequestTypes.Label(RequestTypes.Resume));
}

/// <summary>歇业 (Kind "Closed") or 注销 (Kind "Cancelled").</summary>
public sealed class CertificateRevokedConsumer(
    ServiceDatabase<IntakeModule> database, ILogger<CertificateRevokedConsumer> logger)
    : LicenceStepConsumer<CertificateRevoked>(database, logger)
{
    protected override Task HandleAsync(CertificateRevoked message, DbSession session, CancellationToken cancellationToken) =>
        CompleteAsync(session, message.RequestApplicationId, message.LicenceNumber, message.RevokedAt,
            RequestTypes.Label(message.Kind == "Closed" ? RequestTypes.Close : RequestTypes.Cancel));
}
