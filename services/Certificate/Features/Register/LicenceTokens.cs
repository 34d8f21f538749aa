using Dapper;
using Permits.Certificate.Signing;
using Permits.Shared.Data;

namespace Permits.Certificate.Features.Register;

/// <summary>
/// Signs an imported licence's e-licence at its first read and keeps the token, so its QR code, PDF and verification
/// by token work like any other licence's from then on. An import leaves tokens empty: SM2 signing 100,000 rows would
/// hold the import for minutes, while most of them are read rarely. Two first reads at once keep the first token stored.
/// </summary>
public sealed class LicenceTokens(ServiceDatabase<CertificateModule> database, LicenceSigner signer)
{
    private const string StoreSql = """
        UPDATE certificates SET elicence_id = @ElicenceId, key_id = @KeyId, token = @Token
        WHERE id = @Id AND token IS NULL
        """;

    public async Task<CertificateRow> SignedAsync(CertificateRow row, CancellationToken cancellationToken)
    {
        if (row.Token is not null)
        {
            return row;
        }

        var elicenceId = row.ElicenceId ?? signer.ElicenceIdOf(row.CountyCode, row.LicenceNumber, row.Version);
        var (token, keyId) = signer.SignToken(row, elicenceId);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await connection.ExecuteAsync(StoreSql, new { row.Id, ElicenceId = elicenceId, KeyId = keyId, Token = token }) == 1)
        {
            return row with { ElicenceId = elicenceId, KeyId = keyId, Token = token };
        }

        return await connection.QuerySingleAsync<CertificateRow>(CertificateRecords.ByNumberSql, new { row.LicenceNumber });
    }
}
