using System.Text.Json;
using Permits.Contracts.Disclosure;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Disclosure.Consumers;

/// <summary>Appends a record to the log; the record id keeps it there once, whatever the bus redelivers.</summary>
public sealed class DisclosureRecordedConsumer(
    ServiceDatabase<DisclosureModule> database, TimeProvider time, ILogger<DisclosureRecordedConsumer> logger)
    : InboxConsumer<DisclosureModule, DisclosureRecorded>(database, logger)
{
    private const string AppendSql = """
        INSERT INTO disclosure_records (
            record_id, kind, application_id, application_number, county_code, authority, occurred_at, recorded_at,
            summary, public_fields)
        SELECT @RecordId, @Kind, @ApplicationId, @ApplicationNumber, @CountyCode, @Authority, @OccurredAt, @RecordedAt,
               @Summary, @PublicFields
        WHERE NOT EXISTS (SELECT 1 FROM disclosure_records WHERE record_id = @RecordId)
        """;

    protected override Task HandleAsync(DisclosureRecorded message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(AppendSql, new
        {
            message.RecordId,
            message.Kind,
            message.ApplicationId,
            message.ApplicationNumber,
            message.CountyCode,
            message.Authority,
            message.OccurredAt,
            RecordedAt = time.GetUtcNow(),
            message.Summary,
            PublicFields = JsonSerializer.Serialize(message.PublicFields),
        });
}
