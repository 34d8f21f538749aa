using Permits.Certificate.Domain;
using Permits.Contracts.Certificate;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Certificate.Consumers;

/// <summary>
/// Issues the licence for an approval: allocates the number and records the certificate, valid for at most five years
/// and never beyond the end of the premises lease.
/// </summary>
public sealed class LicenceApprovedConsumer(
    ServiceDatabase<CertificateModule> database,
    CountyDirectory counties,
    TimeProvider time,
    ILogger<LicenceApprovedConsumer> logger)
    : InboxConsumer<CertificateModule, LicenceApproved>(database, logger)
{
    public const string Scope = "卷烟、雪茄烟零售（不含电子烟）";

    private const string ExistsSql = "SELECT COUNT(*) FROM certificates WHERE application_id = @ApplicationId";

    private const string InsertSql = """
        INSERT INTO certificates (
            id, application_id, application_number, licence_number, county_code, holder_type, holder_name, credit_code,
            responsible_person, premises_address, scope, valid_from, valid_to, decision_document, issuing_authority,
            issued_at, status, version)
        VALUES (
            @Id, @ApplicationId, @ApplicationNumber, @LicenceNumber, @CountyCode, @HolderType, @HolderName, @CreditCode,
            @ResponsiblePerson, @PremisesAddress, @Scope, @ValidFrom, @ValidTo, @DecisionDocument, @IssuingAuthority,
            @IssuedAt, @Status, 1)
        """;

    protected override async Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken)
    {
        if (await session.ExecuteScalarAsync<long>(ExistsSql, new { message.ApplicationId }) > 0)
        {
            return;
        }

        var county = counties.Get(message.CountyCode);
        var now = time.GetUtcNow();
        var validFrom = ChinaTime.DateOf(message.ApprovedAt);
        var validTo = validFrom.AddYears(5).AddDays(-1);
        if (message.LeaseEndDate is { } leaseEnd && leaseEnd < validTo)
        {
            validTo = leaseEnd;
        }

        var licenceNumber = await LicenceNumber.AllocateAsync(session, county.Code, message.HolderType);
        var certificateId = DeterministicGuid.Create(message.ApplicationId, "certificate", 1);
        await session.ExecuteAsync(InsertSql, new
        {
            Id = certificateId,
            message.ApplicationId,
            message.ApplicationNumber,
            LicenceNumber = licenceNumber,
            CountyCode = county.Code,
            message.HolderType,
            HolderName = message.BusinessName,
            message.CreditCode,
            message.ResponsiblePerson,
            message.PremisesAddress,
            Scope,
            ValidFrom = validFrom,
            ValidTo = validTo,
            DecisionDocument = message.DocumentNumber,
            IssuingAuthority = county.Authority,
            IssuedAt = now,
            Status = "Valid",
        });

        await session.PublishAsync(new CertificateIssued(
            certificateId, message.ApplicationId, message.ApplicationNumber, county.Code, licenceNumber,
            message.BusinessName, validFrom, validTo, now));
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.CertificateIssued, message.ApplicationId, message.ApplicationNumber, county, now,
            $"{county.Authority}核发烟草专卖零售许可证 {licenceNumber}",
            new Dictionary<string, string>
            {
                ["XK_XDR_MC"] = message.BusinessName,
                ["XK_XKZS"] = "烟草专卖零售许可证",
                ["XK_XKBH"] = licenceNumber,
                ["XK_NR"] = Scope,
                ["XK_YXQZ"] = validFrom.ToString("yyyy-MM-dd"),
                ["XK_YXQZI"] = validTo.ToString("yyyy-MM-dd"),
                ["XK_XKJG"] = county.Authority,
                ["XK_XKJGDM"] = county.AuthorityCreditCode,
                ["XK_ZT"] = "有效",
            }));
    }
}
