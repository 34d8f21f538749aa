using Permits.Contracts.Certificate;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// A licence was issued: the county has one more licensed outlet, at the place Review's inspectors located the
/// premises of that application (a licence without a located inspection — issued before locations were recorded — is
/// not placed). The copy is what the 合理布局 check measures against; idempotent by the inbox and the licence number.
/// </summary>
public sealed partial class CertificateIssuedConsumer(ServiceDatabase<ReviewModule> database, ILogger<CertificateIssuedConsumer> logger)
    : InboxConsumer<ReviewModule, CertificateIssued>(database, logger)
{
    private const string SiteSql = """
        SELECT c.business_name AS Name, i.latitude AS Latitude, i.longitude AS Longitude
        FROM review_cases c JOIN review_inspections i ON i.case_id = c.id
        WHERE c.application_id = @ApplicationId AND i.latitude IS NOT NULL AND i.longitude IS NOT NULL
        ORDER BY i.recorded_at DESC
        """;

    /// <summary>One outlet into the county's copy, unless its licence is there already (also for imported licences).</summary>
    internal const string InsertSql = """
        INSERT INTO review_outlets (licence_number, county_code, name, latitude, longitude, application_id, issued_at)
        SELECT @LicenceNumber, @CountyCode, @Name, @Latitude, @Longitude, @ApplicationId, @IssuedAt
        WHERE NOT EXISTS (SELECT 1 FROM review_outlets WHERE licence_number = @LicenceNumber)
        """;

    protected override async Task HandleAsync(CertificateIssued message, DbSession session, CancellationToken cancellationToken)
    {
        var site = (await session.QueryAsync<Site>(SiteSql, new { message.ApplicationId })).FirstOrDefault();
        if (site is null)
        {
            LogNotLocated(logger, message.LicenceNumber, message.ApplicationId);
            return;
        }

        await session.ExecuteAsync(InsertSql, new
        {
            message.LicenceNumber,
            message.CountyCode,
            Name = site.Name.Length > 0 ? site.Name : message.HolderName,
            site.Latitude,
            site.Longitude,
            message.ApplicationId,
            message.IssuedAt,
        });
    }

    [LoggerMessage(LogLevel.Information, "Licence {LicenceNumber} of {ApplicationId} has no located inspection here; not placed as an outlet")]
    private static partial void LogNotLocated(ILogger logger, string licenceNumber, Guid applicationId);

    private sealed class Site
    {
        public string Name { get; init; } = "";
        public double Latitude { get; init; }
        public double Longitude { get; init; }
    }
}
