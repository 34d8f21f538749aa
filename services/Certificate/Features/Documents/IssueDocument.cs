using System.Security.Cryptography;
using Permits.Certificate.Documents;
using Permits.Certificate.Signing;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// Issues one formal document inside the caller's transaction: signs its token (kind, number, date, bureau: what the
/// verification page shows), renders the PDF with that token in its QR code, signs the PDF bytes (SM2/SM3) and stores
/// it with its SHA-256. A number already stored is left as it is, so a redelivered event renders nothing twice.
/// </summary>
public sealed class IssueDocument(SigningKeyRing keys, IConfiguration configuration)
{
    /// <summary>Token fields: k kind, n number, d date (yyyy-MM-dd), a issuing bureau. Their presence of k marks a document's token.</summary>
    public const string KindField = "k";

    /// <param name="servedDocument">For a 送达回证: the number of the decision it records the service of.</param>
    public async Task<bool> HandleAsync(
        DbSession session, Guid applicationId, Guid caseId, string countyCode, DateTimeOffset issuedAt, OfficialDocumentContent content,
        string? servedDocument = null)
    {
        if (await session.QuerySingleOrDefaultAsync<string>(DocumentRecords.CountyByNumberSql, new { content.Number }) is not null)
        {
            return false;
        }

        return await IssueNewAsync(session, applicationId, caseId, countyCode, issuedAt, content, servedDocument);
    }

    /// <summary>
    /// As <see cref="HandleAsync"/> for a caller that has just seen the number is not on record (in the same read as the
    /// document's facts, see <see cref="DocumentFacts"/>); the insert still adds nothing when it is.
    /// </summary>
    public async Task<bool> IssueNewAsync(
        DbSession session, Guid applicationId, Guid caseId, string countyCode, DateTimeOffset issuedAt, OfficialDocumentContent content,
        string? servedDocument = null)
    {
        var key = keys.ActiveFor(countyCode);
        var token = SignedToken.Create(key, new Dictionary<string, string>
        {
            [KindField] = content.Kind.Code,
            ["n"] = content.Number,
            ["d"] = ChinaTime.Text(content.Date),
            ["a"] = content.Bureau,
        });
        var (pdf, signature) = await RenderGate.RunAsync(() =>
        {
            var rendered = OfficialDocumentPdf.Render(content, token, configuration);
            return (rendered, Convert.ToBase64String(Sm2.Sign(key.PrivateKey!, rendered)));
        });
        var inserted = await session.ExecuteAsync(DocumentRecords.InsertSql, new
        {
            Id = DeterministicGuid.Create(applicationId, $"document:{content.Number}"),
            ApplicationId = applicationId,
            CaseId = caseId,
            CountyCode = countyCode,
            Kind = content.Kind.Code,
            content.Number,
            IssuedAt = issuedAt.ToUniversalTime(),
            Addressee = content.Applicant,
            Pdf = pdf,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf)),
            key.KeyId,
            Token = token,
            Signature = signature,
            ServedDocument = servedDocument,
        });
        return inserted > 0;
    }
}
