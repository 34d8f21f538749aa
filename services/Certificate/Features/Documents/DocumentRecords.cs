using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Documents;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>A formal document as stored (table official_documents), without its PDF.</summary>
public sealed class DocumentRow
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public Guid CaseId { get; init; }
    public string CountyCode { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Number { get; init; } = "";
    public DateTimeOffset IssuedAt { get; init; }
    public string Addressee { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public string KeyId { get; init; } = "";
    public string Token { get; init; } = "";
    public string Signature { get; init; } = "";
    public string? ServedDocument { get; init; }
    public string? ServiceMethod { get; init; }
    public DateTimeOffset? ServedAt { get; init; }
    public string? ServedBy { get; init; }
    public string? Recipient { get; init; }

    public OfficialDocumentKind Type => OfficialDocuments.Get(Kind);

    public bool Served => ServedAt is not null;

    public OfficialDocument ToMessage() => new()
    {
        Number = Number,
        Kind = Kind,
        Title = Type.Title,
        Decision = Type.IsDecision,
        IssuedAt = Timestamp.FromDateTimeOffset(IssuedAt),
        Sha256 = Sha256,
        ApplicationId = ApplicationId.ToString(),
        ServiceMethod = System.Enum.TryParse<ServiceMethod>(ServiceMethod, out var method) ? (DocumentServiceMethod)(int)method : DocumentServiceMethod.Unspecified,
        ServedAt = ServedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        Recipient = Recipient ?? "",
        RecordedBy = ServedBy ?? "",
        ServedDocument = ServedDocument ?? "",
        Token = Token,
    };
}

public static class DocumentRecords
{
    public const string Columns = """
        id AS Id, application_id AS ApplicationId, case_id AS CaseId, county_code AS CountyCode, kind AS Kind, number AS Number,
        issued_at AS IssuedAt, addressee AS Addressee, sha256 AS Sha256, key_id AS KeyId, token AS Token, signature AS Signature,
        served_document AS ServedDocument, service_method AS ServiceMethod, served_at AS ServedAt, served_by AS ServedBy,
        recipient AS Recipient
        """;

    public const string ByNumberSql = $"SELECT {Columns} FROM official_documents WHERE number = @Number";

    public const string CountyByNumberSql = "SELECT county_code FROM official_documents WHERE number = @Number";

    public const string ByApplicationSql = $"SELECT {Columns} FROM official_documents WHERE application_id = @ApplicationId ORDER BY issued_at, number";

    public const string PdfSql = "SELECT pdf FROM official_documents WHERE number = @Number";

    /// <summary>The decision of a kind for an application (a licence's delivery serves its 准予行政许可决定书).</summary>
    public const string DecisionSql = $"SELECT {Columns} FROM official_documents WHERE application_id = @ApplicationId AND kind = @Kind";

    public const string InsertSql = """
        INSERT INTO official_documents (
            id, application_id, case_id, county_code, kind, number, issued_at, addressee, pdf, sha256, key_id, token, signature,
            served_document)
        SELECT @Id, @ApplicationId, @CaseId, @CountyCode, @Kind, @Number, @IssuedAt, @Addressee, @Pdf, @Sha256, @KeyId, @Token,
            @Signature, @ServedDocument
        WHERE NOT EXISTS (SELECT 1 FROM official_documents WHERE number = @Number)
        """;

    /// <summary>Records a decision's service once: the second attempt changes nothing (0 rows).</summary>
    public const string ServeSql = """
        UPDATE official_documents SET service_method = @ServiceMethod, served_at = @ServedAt, served_by = @ServedBy, recipient = @Recipient
        WHERE number = @Number AND served_at IS NULL
        """;

    /// <summary>Document numbers Certificate gives itself (听证权利告知书 许听, 送达回证 许送), as Review numbers the others.</summary>
    public static async Task<string> NextNumberAsync(DbSession session, County county, string kind, DateOnly date)
    {
        var serial = await Counters.NextAsync(session, CounterName(county, kind, date));
        return Format(county, kind, date, serial);
    }

    /// <summary>
    /// The number of the 送达回证 that records <paramref name="decisionNumber"/>'s service: the one
    /// <see cref="ReserveReceiptNumberAsync"/> took before this transaction, or else the next (see <see cref="Counters.TakeAsync"/>).
    /// </summary>
    public static async Task<string> ReceiptNumberAsync(DbSession session, County county, string decisionNumber, DateOnly date)
    {
        var serial = await Counters.TakeAsync(session, ReceiptKey(decisionNumber, date), CounterName(county, ServiceReceiptSeries, date));
        return Format(county, ServiceReceiptSeries, date, serial);
    }

    /// <summary>
    /// Takes the 送达回证's number in a transaction of its own, so the service's transaction, which renders and signs the
    /// receipt, does not hold the county's 许送 counter meanwhile (every delivery of the county waited on it).
    /// </summary>
    public static Task ReserveReceiptNumberAsync(
        ServiceDatabase<CertificateModule> database, County county, string decisionNumber, DateOnly date, CancellationToken cancellationToken) =>
        Counters.ReserveAsync(database, ReceiptKey(decisionNumber, date), CounterName(county, ServiceReceiptSeries, date), null, cancellationToken);

    /// <summary>
    /// Per decision and year of service, as the series is per year: a receipt reserved on 31 December for a courier's
    /// delivery and then served (electronically, first) on 1 January takes the new year's number, never last year's
    /// serial under the new year.
    /// </summary>
    private static string ReceiptKey(string decisionNumber, DateOnly date) => $"receipt:{decisionNumber}:{date.Year}";

    private static string CounterName(County county, string kind, DateOnly date) => $"document:{county.Code}:{kind}:{date.Year}";

    private static string Format(County county, string kind, DateOnly date, long serial) =>
        $"{county.DocumentPrefix}{kind}〔{date.Year}〕第{serial:D5}号";

    public const string HearingNoticeSeries = "许听";
    public const string ServiceReceiptSeries = "许送";
}
