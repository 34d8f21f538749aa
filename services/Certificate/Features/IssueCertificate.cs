using Dapper;
using Permits.Certificate.Domain;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features;

/// <summary>
/// Issues the licence for an approval: allocates the number, signs version 1 and records the certificate, valid for
/// at most five years and never beyond the end of the premises lease. Runs inside the caller's transaction.
/// </summary>
public sealed class IssueCertificate(CountyDirectory counties, LicenceSigner signer, TimeProvider time)
{
    private const string ExistsSql = "SELECT COUNT(*) FROM certificates WHERE application_id = @ApplicationId";

    private const string InsertSql = """
        INSERT INTO certificates (
            id, application_id, application_number, licence_number, county_code, holder_type, holder_name, credit_code,
            responsible_person, premises_address, scope, valid_from, valid_to, decision_document, issuing_authority,
            issued_at, status, version, elicence_id, key_id, token, duplicate_count, revision)
        VALUES (
            @Id, @ApplicationId, @ApplicationNumber, @LicenceNumber, @CountyCode, @HolderType, @HolderName, @CreditCode,
            @ResponsiblePerson, @PremisesAddress, @Scope, @ValidFrom, @ValidTo, @DecisionDocument, @IssuingAuthority,
            @IssuedAt, @Status, @Version, @ElicenceId, @KeyId, @Token, 0, 1)
        """;

    /// <summary>What the approval asks for (null: the licence is issued already); no recorded request is a 新办.</summary>
    private const string PendingRequestSql = """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM certificates WHERE application_id = @ApplicationId) THEN NULL
            ELSE COALESCE((SELECT request_type FROM licence_requests WHERE application_id = @ApplicationId), @New) END
        """;

    /// <summary>
    /// Takes a 新办's licence serial before the approval's transaction (<see cref="LicenceNumber.ReserveAsync"/>), which
    /// then renders and signs the decision while the county's other approvals take their serials; nothing when the
    /// application has its licence already or the approval acts on an existing licence.
    /// </summary>
    public static async Task ReserveNumberAsync(ServiceDatabase<CertificateModule> database, LicenceApproved message, CancellationToken cancellationToken)
    {
        string? request;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            request = await connection.QuerySingleOrDefaultAsync<string>(PendingRequestSql, new { message.ApplicationId, New = RequestTypes.New });
        }

        if (request == RequestTypes.New)
        {
            await LicenceNumber.ReserveAsync(database, message.ApplicationId, message.CountyCode, message.HolderType, cancellationToken);
        }
    }

    /// <summary>Returns the licence number, or null when this application already has its licence.</summary>
    public async Task<string?> HandleAsync(LicenceApproved message, DbSession session)
    {
        if (await session.ExecuteScalarAsync<long>(ExistsSql, new { message.ApplicationId }) > 0)
        {
            return null;
        }

        var county = counties.Get(message.CountyCode);
        var now = time.GetUtcNow();
        var validFrom = ChinaTime.DateOf(message.ApprovedAt);
        var validTo = validFrom.AddYears(5).AddDays(-1);
        if (message.LeaseEndDate is { } leaseEnd && leaseEnd < validTo)
        {
            validTo = leaseEnd;
        }

        var licenceNumber = await LicenceNumber.AllocateAsync(session, message.ApplicationId, county.Code, message.HolderType);
        var row = new CertificateRow
        {
            Id = DeterministicGuid.Create(message.ApplicationId, "certificate", 1),
            ApplicationId = message.ApplicationId,
            ApplicationNumber = message.ApplicationNumber,
            LicenceNumber = licenceNumber,
            CountyCode = county.Code,
            HolderType = message.HolderType,
            HolderName = message.BusinessName,
            CreditCode = message.CreditCode,
            ResponsiblePerson = message.ResponsiblePerson,
            PremisesAddress = message.PremisesAddress,
            Scope = LicensingDisclosure.RetailScope,
            ValidFrom = validFrom,
            ValidTo = validTo,
            DecisionDocument = message.DocumentNumber,
            IssuingAuthority = county.Authority,
            IssuedAt = now,
            Status = CertificateStatus.Valid,
            Version = 1,
        };
        var elicenceId = signer.ElicenceIdOf(county.Code, licenceNumber, 1);
        var (token, keyId) = signer.SignToken(row, elicenceId);
        row = row with { ElicenceId = elicenceId, KeyId = keyId, Token = token };
        await session.ExecuteAsync(InsertSql, row);

        await LicenceHistoryRecords.RecordAsync(
            session, row, 1, LicenceHistoryRecords.Issued, $"准予行政许可决定书 {message.DocumentNumber}", message.OfficerId, now);
        await session.PublishAsync(new CertificateIssued(
            row.Id, message.ApplicationId, message.ApplicationNumber, county.Code, licenceNumber,
            message.BusinessName, validFrom, validTo, now)
        {
            ElicenceId = elicenceId,
            Version = 1,
            Token = token,
        });
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.CertificateIssued, message.ApplicationId, message.ApplicationNumber, county, now,
            $"{county.Authority}核发烟草专卖零售许可证 {licenceNumber}",
            row.DisclosedFields(county, LicensingDisclosure.InForce)));
        return licenceNumber;
    }
}
