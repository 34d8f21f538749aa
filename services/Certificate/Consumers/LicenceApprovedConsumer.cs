using Permits.Certificate.Features;
using Permits.Certificate.Features.Documents;
using Permits.Certificate.Features.Lifecycle;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Certificate.Consumers;

/// <summary>
/// Acts on an approval once per application, whatever the redeliveries: 新办 issues a new licence; any other request
/// type (known from the application, see <see cref="ApplicationSubmittedConsumer"/>) acts on the licence it concerns.
/// An approval with no known request is a 新办, as before request types were recorded. Every approval first issues its
/// 准予行政许可决定书 (<see cref="CaseDocuments"/>).
/// </summary>
public sealed class LicenceApprovedConsumer(
    ServiceDatabase<CertificateModule> database,
    IssueCertificate issue,
    ApprovedRequests requests,
    CaseDocuments documents,
    ILogger<LicenceApprovedConsumer> logger)
    : InboxConsumer<CertificateModule, LicenceApproved>(database, logger)
{
    private const string RequestSql = """
        SELECT request_type AS RequestType, licence_number AS LicenceNumber, applied_at AS AppliedAt,
            suspend_from AS SuspendFrom, suspend_until AS SuspendUntil
        FROM licence_requests WHERE application_id = @ApplicationId
        """;

    private const string AppliedSql = "UPDATE licence_requests SET applied_at = @AppliedAt WHERE application_id = @ApplicationId AND applied_at IS NULL";

    /// <summary>A 新办's licence serial is taken before the transaction (see <see cref="IssueCertificate.ReserveNumberAsync"/>).</summary>
    protected override Task PrepareAsync(LicenceApproved message, CancellationToken cancellationToken) =>
        IssueCertificate.ReserveNumberAsync(Database, message, cancellationToken);

    protected override async Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken)
    {
        await documents.IssueAsync(session, message);
        var request = await session.QuerySingleOrDefaultAsync<RequestRow>(RequestSql, new { message.ApplicationId });
        if (request is null || request.RequestType == RequestTypes.New)
        {
            await issue.HandleAsync(message, session);
            return;
        }

        if (request.AppliedAt is not null)
        {
            return;
        }

        if (string.IsNullOrEmpty(request.LicenceNumber))
        {
            throw new InvalidOperationException(
                $"Application {message.ApplicationNumber} ({request.RequestType}) was approved but names no licence: nothing was issued.");
        }

        await requests.ApplyAsync(
            session, message, request.RequestType, request.LicenceNumber, request.SuspendFrom, request.SuspendUntil);
        await session.ExecuteAsync(AppliedSql, new { message.ApplicationId, AppliedAt = message.ApprovedAt.ToUniversalTime() });
    }

    private sealed class RequestRow
    {
        public string RequestType { get; init; } = "";
        public string? LicenceNumber { get; init; }
        public DateTimeOffset? AppliedAt { get; init; }

        public DateOnly? SuspendFrom { get; init; }

        public DateOnly? SuspendUntil { get; init; }
    }
}
