using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Disclosure.Domain;

/// <summary>One stored record of the log, as every reader selects it.</summary>
public sealed class LogRow
{
    public const string Columns = """
        position AS Position, record_id AS RecordId, kind AS Kind, application_id AS ApplicationId,
        application_number AS ApplicationNumber, county_code AS CountyCode, authority AS Authority,
        occurred_at AS OccurredAt, recorded_at AS RecordedAt, summary AS Summary, public_fields AS PublicFields,
        supersedes_record_id AS Supersedes, chain_sequence AS ChainSequence, previous_hash AS PreviousHash,
        record_hash AS RecordHash, decision_date AS DecisionDate, publication_working_days AS PublicationWorkingDays
        """;

    public long Position { get; init; }
    public Guid RecordId { get; init; }
    public string Kind { get; init; } = "";
    public Guid ApplicationId { get; init; }
    public string ApplicationNumber { get; init; } = "";
    public string CountyCode { get; init; } = "";
    public string Authority { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string Summary { get; init; } = "";
    public string PublicFields { get; init; } = "{}";
    public Guid? Supersedes { get; init; }
    public long? ChainSequence { get; init; }
    public string? PreviousHash { get; init; }
    public string? RecordHash { get; init; }
    public DateOnly? DecisionDate { get; init; }
    public int? PublicationWorkingDays { get; init; }

    /// <summary>Only the register selects it: the latest record that corrected or withdrew this one.</summary>
    public long? SupersededByPosition { get; init; }

    public Dictionary<string, string> Fields() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(PublicFields) ?? [];

    public ChainEntry ToEntry() => new(
        ChainSequence ?? 0, RecordId, Kind, ApplicationId, ApplicationNumber, CountyCode, Authority, OccurredAt,
        RecordedAt, Summary, Fields(), Supersedes);

    public Record ToMessage()
    {
        var record = new Record
        {
            Position = Position,
            RecordId = RecordId.ToString(),
            Kind = Kind,
            ApplicationNumber = ApplicationNumber,
            CountyCode = CountyCode,
            Authority = Authority,
            OccurredAt = Timestamp.FromDateTimeOffset(OccurredAt),
            RecordedAt = Timestamp.FromDateTimeOffset(RecordedAt),
            Summary = Summary,
            Supersedes = Supersedes?.ToString() ?? "",
            ChainSequence = ChainSequence ?? 0,
            PreviousHash = PreviousHash ?? "",
            RecordHash = RecordHash ?? "",
            PublicationWorkingDays = PublicationWorkingDays ?? 0,
        };
        record.PublicFields.Add(Fields());
        return record;
    }
}
