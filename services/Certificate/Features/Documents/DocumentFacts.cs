using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// What a case document is written from, read in one statement inside the issuing transaction: the applicant
/// (<see cref="ApplicantFacts"/>), the county with its hall in force (<see cref="CountyHalls"/>), and whether the
/// document's number is already on record (then nothing is rendered: a redelivered step renders nothing twice). Each
/// document read them in three round trips before.
/// </summary>
public sealed record DocumentFacts(ApplicantFacts Applicant, County County, bool Issued)
{
    // One row whatever exists: each table joins to the constant row on its own key, and a missing one reads as nulls.
    private const string ReadSql = """
        SELECT r.application_number AS ApplicationNumber, r.business_name AS BusinessName, r.premises_address AS PremisesAddress,
            r.request_type AS RequestType, r.submitted_at AS SubmittedAt, r.electronic_service AS ElectronicService,
            r.delivery_method AS DeliveryMethod, h.address AS HallAddress, h.opening_hours AS HallHours, h.phone AS HallPhone,
            d.county_code AS IssuedIn
        FROM (SELECT 1 AS one) AS facts
        LEFT JOIN licence_requests r ON r.application_id = @ApplicationId
        LEFT JOIN county_halls h ON h.county_code = @CountyCode
        LEFT JOIN official_documents d ON d.number = @Number
        """;

    /// <param name="number">The number of the document about to be issued; null when none is (the service of a decision).</param>
    public static async Task<DocumentFacts> LoadAsync(DbSession session, Guid applicationId, County county, string? number)
    {
        var row = await session.QuerySingleOrDefaultAsync<Row>(ReadSql, new { ApplicationId = applicationId, CountyCode = county.Code, Number = number })
            ?? new Row();
        var applicant = new ApplicantFacts
        {
            ApplicationNumber = row.ApplicationNumber ?? "",
            BusinessName = row.BusinessName,
            PremisesAddress = row.PremisesAddress,
            RequestType = row.RequestType ?? "",
            SubmittedAt = row.SubmittedAt,
            ElectronicService = row.ElectronicService ?? false,
            DeliveryMethod = row.DeliveryMethod,
        };
        var inForce = row.HallAddress is null ? county : CountyHalls.With(county, row.HallAddress, row.HallHours ?? "", row.HallPhone ?? "");
        return new DocumentFacts(applicant, inForce, row.IssuedIn is not null);
    }

    private sealed class Row
    {
        public string? ApplicationNumber { get; init; }
        public string? BusinessName { get; init; }
        public string? PremisesAddress { get; init; }
        public string? RequestType { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
        public bool? ElectronicService { get; init; }
        public string? DeliveryMethod { get; init; }
        public string? HallAddress { get; init; }
        public string? HallHours { get; init; }
        public string? HallPhone { get; init; }
        public string? IssuedIn { get; init; }
    }
}
