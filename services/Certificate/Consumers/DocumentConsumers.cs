using Permits.Certificate.Features.Documents;
using Dapper;
using Permits.Contracts.Delivery;
using Permits.Contracts.Documents;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Certificate.Consumers;

// Each Review step's event issues its formal document (CaseDocuments), once per event. LicenceApproved issues its
// 准予行政许可决定书 in LicenceApprovedConsumer: a service has one consumer per message type.

public sealed class CorrectionRequestedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<CorrectionRequestedConsumer> logger)
    : InboxConsumer<CertificateModule, CorrectionRequested>(database, logger)
{
    protected override Task HandleAsync(CorrectionRequested message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

public sealed class ApplicationAcceptedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<ApplicationAcceptedConsumer> logger)
    : InboxConsumer<CertificateModule, ApplicationAccepted>(database, logger)
{
    protected override Task HandleAsync(ApplicationAccepted message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

public sealed class ApplicationNotAcceptedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<ApplicationNotAcceptedConsumer> logger)
    : InboxConsumer<CertificateModule, ApplicationNotAccepted>(database, logger)
{
    protected override Task HandleAsync(ApplicationNotAccepted message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

public sealed class SiteInspectedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<SiteInspectedConsumer> logger)
    : InboxConsumer<CertificateModule, SiteInspected>(database, logger)
{
    protected override Task HandleAsync(SiteInspected message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

public sealed class ReviewOpinionRecordedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<ReviewOpinionRecordedConsumer> logger)
    : InboxConsumer<CertificateModule, ReviewOpinionRecorded>(database, logger)
{
    protected override Task HandleAsync(ReviewOpinionRecorded message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

public sealed class DecisionPeriodExtendedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<DecisionPeriodExtendedConsumer> logger)
    : InboxConsumer<CertificateModule, DecisionPeriodExtended>(database, logger)
{
    protected override Task HandleAsync(DecisionPeriodExtended message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

public sealed class LicenceDeniedConsumer(ServiceDatabase<CertificateModule> database, CaseDocuments documents, ILogger<LicenceDeniedConsumer> logger)
    : InboxConsumer<CertificateModule, LicenceDenied>(database, logger)
{
    protected override Task HandleAsync(LicenceDenied message, DbSession session, CancellationToken cancellationToken) =>
        documents.IssueAsync(session, message);
}

/// <summary>
/// The licence reached the applicant: its 准予行政许可决定书 is served (邮寄 or, collected at the hall, 直接送达). The
/// 送达回证's number is taken before the transaction that renders it (<see cref="DocumentRecords.ReserveReceiptNumberAsync"/>).
/// </summary>
public sealed class ShipmentDeliveredConsumer(
    ServiceDatabase<CertificateModule> database, CaseDocuments documents, CountyDirectory counties, ILogger<ShipmentDeliveredConsumer> logger)
    : InboxConsumer<CertificateModule, ShipmentDelivered>(database, logger)
{
    protected override async Task PrepareAsync(ShipmentDelivered message, CancellationToken cancellationToken)
    {
        DocumentRow? approval;
        await using (var connection = await Database.OpenAsync(cancellationToken))
        {
            approval = await connection.QuerySingleOrDefaultAsync<DocumentRow>(
                DocumentRecords.DecisionSql, new { message.ApplicationId, Kind = OfficialDocuments.Approval });
        }

        if (approval is { Served: false })
        {
            await DocumentRecords.ReserveReceiptNumberAsync(
                Database, counties.Get(approval.CountyCode), approval.Number, ChinaTime.DateOf(message.DeliveredAt), cancellationToken);
        }
    }

    protected override Task HandleAsync(ShipmentDelivered message, DbSession session, CancellationToken cancellationToken) =>
        documents.ServeAsync(session, message);
}

/// <summary>The licence waits at the hall (chosen, or returned there by the courier): its handing over will be 直接送达.</summary>
public sealed class ShipmentAwaitingPickupConsumer(ServiceDatabase<CertificateModule> database, ILogger<ShipmentAwaitingPickupConsumer> logger)
    : InboxConsumer<CertificateModule, ShipmentAwaitingPickup>(database, logger)
{
    protected override Task HandleAsync(ShipmentAwaitingPickup message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(ApplicantFacts.PickupSql, new { message.ApplicationId });
}
