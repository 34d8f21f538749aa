using Dapper;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features;

/// <summary>
/// The history of a licence: one row per revision of its certificates row, written in the same transaction as the
/// change, so the history and the register never disagree.
/// </summary>
public static class LicenceHistoryRecords
{
    public const string Issued = "Issued";
    public const string Changed = "Changed";
    public const string Renewed = "Renewed";
    public const string Suspended = "Suspended";
    public const string Resumed = "Resumed";
    public const string Closed = "Closed";
    public const string Cancelled = "Cancelled";
    public const string Reissued = "Reissued";

    private const string InsertSql = """
        INSERT INTO certificate_events (
            certificate_id, revision, licence_number, county_code, kind, version, duplicate_count, elicence_id, key_id,
            status, holder_name, valid_to, reason, officer_id, occurred_at)
        VALUES (
            @CertificateId, @Revision, @LicenceNumber, @CountyCode, @Kind, @Version, @DuplicateCount, @ElicenceId, @KeyId,
            @Status, @HolderName, @ValidTo, @Reason, @OfficerId, @OccurredAt)
        """;

    private const string ByLicenceSql = """
        SELECT kind AS Kind, version AS Version, duplicate_count AS DuplicateCount, elicence_id AS ElicenceId,
               key_id AS KeyId, status AS Status, holder_name AS HolderName, valid_to AS ValidTo, reason AS Reason,
               officer_id AS OfficerId, occurred_at AS OccurredAt
        FROM certificate_events
        WHERE certificate_id = @CertificateId
        ORDER BY revision
        """;

    /// <summary>Records the licence as it is after a step (<paramref name="row"/> with its new revision).</summary>
    public static Task RecordAsync(
        DbSession session, CertificateRow row, int revision, string kind, string? reason, string officerId, DateTimeOffset at) =>
        session.ExecuteAsync(InsertSql, new
        {
            CertificateId = row.Id,
            Revision = revision,
            row.LicenceNumber,
            row.CountyCode,
            Kind = kind,
            row.Version,
            row.DuplicateCount,
            row.ElicenceId,
            row.KeyId,
            row.Status,
            row.HolderName,
            row.ValidTo,
            Reason = reason is { Length: > 200 } ? reason[..200] : reason,
            OfficerId = officerId.Length > 100 ? officerId[..100] : officerId,
            OccurredAt = at,
        });

    public static async Task<IReadOnlyList<LicenceEvent>> LoadAsync(ServiceDatabase<CertificateModule> database, Guid certificateId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(ByLicenceSql, new { CertificateId = certificateId });
        return rows.Select(r => new LicenceEvent
        {
            Kind = r.Kind,
            Version = r.Version,
            Duplicate = r.DuplicateCount,
            ElicenceId = r.ElicenceId ?? "",
            KeyId = r.KeyId ?? "",
            Status = r.Status,
            HolderName = r.HolderName,
            ValidTo = ChinaTime.Text(r.ValidTo),
            Reason = r.Reason ?? "",
            OfficerId = r.OfficerId,
            At = Timestamp.FromDateTimeOffset(r.OccurredAt),
        }).ToList();
    }

    private sealed class EventRow
    {
        public string Kind { get; init; } = "";
        public int Version { get; init; }
        public int DuplicateCount { get; init; }
        public string? ElicenceId { get; init; }
        public string? KeyId { get; init; }
        public string Status { get; init; } = "";
        public string HolderName { get; init; } = "";
        public DateOnly ValidTo { get; init; }
        public string? Reason { get; init; }
        public string OfficerId { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
    }
}
