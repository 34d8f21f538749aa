using System.Globalization;
using Dapper;
using Permits.Certificate.Documents;
using Permits.Certificate.Domain;
using Permits.Certificate.Signing;
using Permits.Contracts.Documents;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features;

/// <summary>
/// Public verification: a token's signature decides genuine or altered; the register decides the status now (valid,
/// suspended, revoked, expired, or superseded when the token is an older version). Only public fields come back.
/// </summary>
public sealed class VerifyLicence(ServiceDatabase<CertificateModule> database, SigningKeyRing keys, TimeProvider time)
{
    public async Task<VerifyResponse> HandleAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        // The QR code holds the verification page's URL: its token parameter is what is checked.
        if (LicenceQr.TokenOf(request.Token) is { Length: > 0 } token)
        {
            return await ByTokenAsync(token, cancellationToken);
        }

        if (request.LicenceNumber.Trim().Length == 0)
        {
            new FieldErrors().Add("token", "请粘贴许可证二维码内容或填写许可证号").ThrowIfAny();
        }

        var number = CertificateRecords.RequireLicenceNumber(request.LicenceNumber);
        var row = await CertificateRecords.FindAsync(database, number, cancellationToken);
        if (row is null)
        {
            return new VerifyResponse
            {
                Authenticity = "NOT_FOUND",
                Status = "UNKNOWN",
                LicenceNumber = number,
                Message = $"本系统没有许可证号为 {number} 的许可证。",
            };
        }

        var status = StatusOf(row, row.Version);
        var response = Public(row, "ON_RECORD", status, $"许可证 {number} 由{row.IssuingAuthority}核发{ImportedNote(row)}，当前状态：{Label(status)}。");
        response.KeyId = row.KeyId ?? "";
        return response;
    }

    private async Task<VerifyResponse> ByTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > 4000)
        {
            new FieldErrors().Add("token", "二维码内容过长，不是本系统签发的许可证").ThrowIfAny();
        }

        var check = SignedToken.Check(keys, token);
        if (check.Authenticity != Authenticity.Genuine)
        {
            return new VerifyResponse
            {
                Authenticity = check.Authenticity switch
                {
                    Authenticity.Altered => "ALTERED",
                    Authenticity.UnknownKey => "UNKNOWN_KEY",
                    _ => "MALFORMED",
                },
                Status = "UNKNOWN",
                KeyId = check.KeyId ?? "",
                Message = check.Authenticity switch
                {
                    Authenticity.Altered => "签名不符：内容被改动过，不是真实的许可证。",
                    Authenticity.UnknownKey => "签名密钥不是本系统的发证密钥，无法确认真伪。",
                    _ => "无法识别的内容，不是本系统签发的许可证二维码。",
                },
            };
        }

        var fields = check.Fields;
        if (fields.ContainsKey(Documents.IssueDocument.KindField))
        {
            return await DocumentAsync(check, cancellationToken);
        }

        var version = int.TryParse(fields.GetValueOrDefault("v"), CultureInfo.InvariantCulture, out var v) ? v : 0;
        var row = await CertificateRecords.FindAsync(database, fields.GetValueOrDefault("n") ?? "", cancellationToken);
        var response = new VerifyResponse
        {
            Authenticity = "GENUINE",
            KeyId = check.KeyId ?? "",
            LicenceNumber = fields.GetValueOrDefault("n") ?? "",
            ElicenceId = fields.GetValueOrDefault("id") ?? "",
            HolderName = fields.GetValueOrDefault("h") ?? "",
            ValidFrom = fields.GetValueOrDefault("f") ?? "",
            ValidTo = fields.GetValueOrDefault("t") ?? "",
            IssuingAuthority = fields.GetValueOrDefault("a") ?? "",
            Scope = LicensingDisclosure.RetailScope,
            Version = version,
            Duplicate = int.TryParse(fields.GetValueOrDefault("d"), CultureInfo.InvariantCulture, out var d) ? d : 0,
        };
        if (row is null)
        {
            response.Status = "UNKNOWN";
            response.Message = "签名真实，但登记簿中查不到该许可证。";
            return response;
        }

        response.Status = StatusOf(row, version);
        if (response.Status == "VALID" && response.Duplicate < row.DuplicateCount)
        {
            response.Status = "SUPERSEDED";
        }

        response.CurrentVersion = row.Version;
        response.Imported = row.Imported;
        response.Message = $"签名真实（{row.IssuingAuthority}签发{ImportedNote(row)}）。当前状态：{Label(response.Status)}。";
        return response;
    }

    /// <summary>A formal document's token (<see cref="Documents.IssueDocument"/>): genuine, and on record or not.</summary>
    private async Task<VerifyResponse> DocumentAsync(TokenCheck check, CancellationToken cancellationToken)
    {
        var fields = check.Fields;
        var number = fields.GetValueOrDefault("n") ?? "";
        var title = OfficialDocuments.TryGet(fields.GetValueOrDefault(Documents.IssueDocument.KindField), out var kind) ? kind.Title : "文书";
        await using var connection = await database.OpenAsync(cancellationToken);
        var onRecord = await connection.QuerySingleOrDefaultAsync<string>(Documents.DocumentRecords.CountyByNumberSql, new { Number = number }) is not null;
        var authority = fields.GetValueOrDefault("a") ?? "";
        var date = fields.GetValueOrDefault("d") ?? "";
        return new VerifyResponse
        {
            Authenticity = "GENUINE",
            Status = onRecord ? "VALID" : "UNKNOWN",
            KeyId = check.KeyId ?? "",
            IssuingAuthority = authority,
            DocumentKind = kind?.Code ?? "",
            DocumentTitle = title,
            DocumentNumber = number,
            DocumentDate = date,
            Message = onRecord
                ? $"签名真实：{authority}于 {date} 制发的{title}（{number}），与本系统存档一致。"
                : $"签名真实（{authority}），但本系统存档中查不到文书 {number}。",
        };
    }

    private string StatusOf(CertificateRow row, int version) =>
        row.Status switch
        {
            CertificateStatus.Revoked => "REVOKED",
            _ when version < row.Version => "SUPERSEDED",
            CertificateStatus.Suspended => "SUSPENDED",
            _ when time.Today() > row.ValidTo => "EXPIRED",
            _ => "VALID",
        };

    private static VerifyResponse Public(CertificateRow row, string authenticity, string status, string message) => new()
    {
        Authenticity = authenticity,
        Status = status,
        Message = message,
        LicenceNumber = row.LicenceNumber,
        ElicenceId = row.ElicenceId ?? "",
        HolderName = row.HolderName,
        Scope = row.Scope,
        ValidFrom = ChinaTime.Text(row.ValidFrom),
        ValidTo = ChinaTime.Text(row.ValidTo),
        IssuingAuthority = row.IssuingAuthority,
        Version = row.Version,
        CurrentVersion = row.Version,
        Duplicate = row.DuplicateCount,
        Imported = row.Imported,
    };

    /// <summary>An imported licence says so: it was issued by the county's previous system, and its record came in by import.</summary>
    private static string ImportedNote(CertificateRow row) => row.Imported ? "，由原许可证管理系统导入" : "";

    public static string Label(string status) => status switch
    {
        "VALID" => "有效",
        "SUSPENDED" => "停业（暂停使用）",
        "REVOKED" => "已失效（歇业或注销）",
        "EXPIRED" => "已过有效期",
        "SUPERSEDED" => "已被新版本或补办证取代",
        _ => "未知",
    };
}

/// <summary>
/// The signed status list for offline verifiers: every licence of one bureau that is not plainly valid in its first
/// version and original copy, as <c>licence:version:duplicate:status</c> (S suspended, R revoked, V valid).
/// </summary>
public sealed class GetStatusList(ServiceDatabase<CertificateModule> database, CountyDirectory counties, SigningKeyRing keys, TimeProvider time)
{
    private const string EntriesSql = """
        SELECT licence_number AS LicenceNumber, version AS Version, duplicate_count AS DuplicateCount, status AS Status
        FROM certificates
        WHERE county_code = @CountyCode AND (status <> 'Valid' OR version > 1 OR duplicate_count > 0)
        ORDER BY licence_number
        """;

    public async Task<StatusList> HandleAsync(GetStatusListRequest request, CancellationToken cancellationToken)
    {
        if (!counties.TryGet(request.CountyCode.Trim(), out var county))
        {
            new FieldErrors().Add("county_code", "未知的县级行政区划代码").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(EntriesSql, new { CountyCode = county.Code });
        var payload = CanonicalJson.Serialize(new Dictionary<string, object>
        {
            ["bureau"] = county.Code,
            ["issuedAt"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["entries"] = rows.Select(r => $"{r.LicenceNumber}:{r.Version}:{r.DuplicateCount}:{r.Status[0]}").ToArray(),
        });
        var key = keys.ActiveFor(county.Code);
        return new StatusList
        {
            Payload = CanonicalJson.ToText(payload),
            KeyId = key.KeyId,
            Signature = Convert.ToBase64String(Sm2.Sign(key.PrivateKey!, payload)),
        };
    }

    private sealed class EntryRow
    {
        public string LicenceNumber { get; init; } = "";
        public int Version { get; init; }
        public int DuplicateCount { get; init; }
        public string Status { get; init; } = "";
    }
}
