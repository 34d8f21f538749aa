using System.Text.Encodings.Web;
using System.Text.Json;
using Permits.Certificate.Domain;
using Permits.Certificate.Features;
using Permits.Shared.Domain;

namespace Permits.Certificate.Signing;

/// <summary>
/// Turns a licence into what gets signed: the e-licence identifier, the compact token (minimum public fields, for the
/// QR code) and the full signed JSON document (every printed field). Config: <c>Certificate:LicenceTypeCode</c>, the
/// licence type's code in the national e-licence catalogue (unconfirmed: defaults to a placeholder).
/// </summary>
public sealed class LicenceSigner(SigningKeyRing keys, CountyDirectory counties, IConfiguration configuration)
{
    public const string DefaultTypeCode = "11100000000013338W";

    public const string LicenceTitle = "烟草专卖零售许可证";

    private static readonly JsonSerializerOptions DocumentJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public string TypeCode { get; } = configuration["Certificate:LicenceTypeCode"] ?? DefaultTypeCode;

    public SigningKeyRing Keys => keys;

    public string ElicenceIdOf(string countyCode, string licenceNumber, int version) =>
        ElicenceIdentifier.Create(TypeCode, counties.Get(countyCode).AuthorityCreditCode, licenceNumber, version);

    /// <summary>Minimum public fields: enough to recognise the licence and its validity, nothing about a natural person.</summary>
    public static IReadOnlyDictionary<string, string> TokenFields(CertificateRow row, string elicenceId) =>
        new Dictionary<string, string>
        {
            ["id"] = elicenceId,
            ["n"] = row.LicenceNumber,
            ["v"] = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["d"] = row.DuplicateCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["h"] = row.HolderName,
            ["f"] = ChinaTime.Text(row.ValidFrom),
            ["t"] = ChinaTime.Text(row.ValidTo),
            ["a"] = row.IssuingAuthority,
        };

    public (string Token, string KeyId) SignToken(CertificateRow row, string elicenceId)
    {
        var key = keys.ActiveFor(row.CountyCode);
        return (SignedToken.Create(key, TokenFields(row, elicenceId)), key.KeyId);
    }

    /// <summary>Every field printed on the licence face (DOMAIN.md), as signed.</summary>
    public IReadOnlyDictionary<string, string> DocumentFields(CertificateRow row)
    {
        var county = counties.Get(row.CountyCode);
        return new Dictionary<string, string>
        {
            ["licenceTitle"] = LicenceTitle,
            ["licenceNumber"] = row.LicenceNumber,
            ["elicenceId"] = row.ElicenceId ?? ElicenceIdOf(row.CountyCode, row.LicenceNumber, row.Version),
            ["version"] = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["duplicate"] = row.DuplicateCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["holderName"] = row.HolderName,
            ["creditCode"] = row.CreditCode ?? "",
            ["responsiblePerson"] = row.ResponsiblePerson,
            ["premisesAddress"] = row.PremisesAddress,
            ["holderType"] = HolderTypeLabel(row.HolderType),
            ["scope"] = row.Scope,
            ["supplier"] = row.Supplier ?? $"{county.Name}烟草公司",
            ["validFrom"] = ChinaTime.Text(row.ValidFrom),
            ["validTo"] = ChinaTime.Text(row.ValidTo),
            ["issuingAuthority"] = row.IssuingAuthority,
            ["issuingAuthorityCode"] = county.AuthorityCreditCode,
            ["issuedOn"] = ChinaTime.Text(ChinaTime.DateOf(row.IssuedAt)),
            ["decisionDocument"] = row.DecisionDocument,
        };
    }

    /// <summary>The machine-readable licence: the canonical payload as text, the key id and the SM2 signature.</summary>
    public string SignDocument(CertificateRow row)
    {
        var key = keys.ActiveFor(row.CountyCode);
        var payload = CanonicalJson.Serialize(DocumentFields(row));
        var signature = Sm2.Sign(key.PrivateKey!, payload);
        return JsonSerializer.Serialize(
            new SignedDocument("SM2-SM3", key.KeyId, CanonicalJson.ToText(payload), Convert.ToBase64String(signature)),
            DocumentJson);
    }

    public static string HolderTypeLabel(string holderType) => holderType == "Enterprise" ? "企业" : "个体工商户";

    public sealed record SignedDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("alg")] string Alg,
        [property: System.Text.Json.Serialization.JsonPropertyName("keyId")] string KeyId,
        [property: System.Text.Json.Serialization.JsonPropertyName("payload")] string Payload,
        [property: System.Text.Json.Serialization.JsonPropertyName("signature")] string Signature);
}
