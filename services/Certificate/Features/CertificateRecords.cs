using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Certificate.Signing;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Certificate.Features;

/// <summary>A licence as stored: the current version of one licence number. A step makes the next row with <c>with</c>.</summary>
public sealed record CertificateRow
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public string ApplicationNumber { get; init; } = "";
    public string LicenceNumber { get; init; } = "";
    public string CountyCode { get; init; } = "";
    public string HolderType { get; init; } = "";
    public string HolderName { get; init; } = "";
    public string? CreditCode { get; init; }
    public string ResponsiblePerson { get; init; } = "";
    public string PremisesAddress { get; init; } = "";
    public string Scope { get; init; } = "";
    public DateOnly ValidFrom { get; init; }
    public DateOnly ValidTo { get; init; }
    public string DecisionDocument { get; init; } = "";
    public string IssuingAuthority { get; init; } = "";
    public DateTimeOffset IssuedAt { get; init; }
    public string Status { get; init; } = "";
    public int Version { get; init; }
    public string? ElicenceId { get; init; }
    public string? KeyId { get; init; }
    public string? Token { get; init; }
    public int DuplicateCount { get; init; }
    public int Revision { get; init; }
    public string? StatusReason { get; init; }

    /// <summary><see cref="CertificateSources.Imported"/> for a licence imported from the county's previous system; null when issued here.</summary>
    public string? Source { get; init; }

    /// <summary>An imported licence's holder: the digest of the 身份证号 in the register (issued licences keep it with their application).</summary>
    public string? HolderIdDigest { get; init; }

    /// <summary>供货单位 as an imported register named it.</summary>
    public string? Supplier { get; init; }

    public double? Longitude { get; init; }

    public double? Latitude { get; init; }

    public bool Imported => Source == CertificateSources.Imported;
}

/// <summary>Where a licence came from, when not issued here.</summary>
public static class CertificateSources
{
    /// <summary>来源：导入 — from the county's previous system (许可证登记簿导入).</summary>
    public const string Imported = "导入";
}

/// <summary>Stored states. Expired and superseded are not stored: they follow from the date and the version asked about.</summary>
public static class CertificateStatus
{
    public const string Valid = "Valid";
    public const string Suspended = "Suspended";
    public const string Revoked = "Revoked";
}

public static class CertificateRecords
{
    public const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber,
        licence_number AS LicenceNumber, county_code AS CountyCode, holder_type AS HolderType, holder_name AS HolderName,
        credit_code AS CreditCode, responsible_person AS ResponsiblePerson, premises_address AS PremisesAddress,
        scope AS Scope, valid_from AS ValidFrom, valid_to AS ValidTo, decision_document AS DecisionDocument,
        issuing_authority AS IssuingAuthority, issued_at AS IssuedAt, status AS Status, version AS Version,
        elicence_id AS ElicenceId, key_id AS KeyId, token AS Token, duplicate_count AS DuplicateCount,
        revision AS Revision, status_reason AS StatusReason, source AS Source, holder_id_digest AS HolderIdDigest,
        supplier AS Supplier, longitude AS Longitude, latitude AS Latitude
        """;

    public const string ByNumberSql = $"SELECT {Columns} FROM certificates WHERE licence_number = @LicenceNumber";

    public const string ByApplicationSql = $"SELECT {Columns} FROM certificates WHERE application_id = @ApplicationId";

    /// <summary>The licence an approved 变更, 延续, 补办 (...) application acted on.</summary>
    public const string ByRequestApplicationSql = $"""
        SELECT {Columns} FROM certificates
        WHERE licence_number = (SELECT licence_number FROM licence_requests WHERE application_id = @ApplicationId AND applied_at IS NOT NULL)
        """;

    /// <summary>
    /// The approved applications that acted on a licence and whose applicant Intake matched to its holder at submission
    /// (their applicants hold it too), newest first. A request filed before that check proves nothing about its applicant.
    /// </summary>
    public const string RequestApplicationsSql = """
        SELECT application_id FROM licence_requests
        WHERE licence_number = @LicenceNumber AND applied_at IS NOT NULL AND holder_match IS NOT NULL
        ORDER BY applied_at DESC
        """;

    public const string CountyByNumberSql = "SELECT county_code FROM certificates WHERE licence_number = @LicenceNumber";

    /// <summary>A 12-digit licence number, or a field error on <paramref name="field"/> at once.</summary>
    public static string RequireLicenceNumber(string? value, string field = "licence_number")
    {
        var errors = new FieldErrors();
        var number = CheckLicenceNumber(value, errors, field);
        errors.ThrowIfAny();
        return number;
    }

    /// <summary>The number trimmed; a field error on <paramref name="field"/> added unless it has 12 digits.</summary>
    public static string CheckLicenceNumber(string? value, FieldErrors errors, string field = "licence_number")
    {
        var number = (value ?? "").Trim();
        if (number.Length != 12 || !number.All(char.IsAsciiDigit))
        {
            errors.Add(field, number.Length == 0 ? "请填写许可证号" : "许可证号应为 12 位数字");
        }

        return number;
    }

    public static async Task<CertificateRow> LoadAsync(DbSession session, string licenceNumber) =>
        await session.QuerySingleOrDefaultAsync<CertificateRow>(ByNumberSql, new { LicenceNumber = licenceNumber })
        ?? throw new RpcException(new Status(StatusCode.NotFound, NotFound(licenceNumber)));

    public static string NotFound(string licenceNumber) => $"未找到许可证 {licenceNumber}";

    /// <summary>
    /// The 双公示 fields of a licence as it now is (issue and every later step publish the same set): the holder's name,
    /// the licence and its validity, the issuing bureau and <paramref name="status"/> (a <see cref="LicensingDisclosure"/> status word).
    /// </summary>
    public static IReadOnlyDictionary<string, string> DisclosedFields(this CertificateRow row, County county, string status) =>
        LicensingDisclosure.By(county).Holder(row.HolderName)
            .Licence(LicenceSigner.LicenceTitle, row.LicenceNumber, row.ValidFrom, row.ValidTo, row.Scope)
            .Status(status).Fields;

    public static async Task<CertificateRow?> FindAsync(ServiceDatabase<CertificateModule> database, string licenceNumber, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CertificateRow>(ByNumberSql, new { LicenceNumber = licenceNumber });
    }

    public static CertificateMessage ToMessage(this CertificateRow row) => new()
    {
        CertificateId = row.Id.ToString(),
        ApplicationId = row.ApplicationId.ToString(),
        ApplicationNumber = row.ApplicationNumber,
        LicenceNumber = row.LicenceNumber,
        CountyCode = row.CountyCode,
        HolderName = row.HolderName,
        ResponsiblePerson = row.ResponsiblePerson,
        PremisesAddress = row.PremisesAddress,
        Scope = row.Scope,
        ValidFrom = ChinaTime.Text(row.ValidFrom),
        ValidTo = ChinaTime.Text(row.ValidTo),
        IssuingAuthority = row.IssuingAuthority,
        IssuedAt = Timestamp.FromDateTimeOffset(row.IssuedAt),
        Status = row.Status,
        ElicenceId = row.ElicenceId ?? "",
        Version = row.Version,
        Duplicate = row.DuplicateCount,
        Token = row.Token ?? "",
        StatusReason = row.StatusReason ?? "",
        Imported = row.Imported,
    };
}
