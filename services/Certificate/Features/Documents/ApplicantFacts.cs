using Permits.Shared.Data;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// What Certificate keeps of an application from ApplicationSubmitted (table licence_requests) that the formal documents
/// print and their service needs: the addressee, the premises, the request type, when it was filed, whether the
/// applicant consented to electronic service, and how the licence is to reach them (Courier or Pickup).
/// </summary>
public sealed class ApplicantFacts
{
    /// <summary>The addressee when the application was never seen here (submitted before documents were kept).</summary>
    public const string UnknownApplicant = "申请人";

    private const string ByApplicationSql = """
        SELECT application_number AS ApplicationNumber, business_name AS BusinessName, premises_address AS PremisesAddress,
            request_type AS RequestType, submitted_at AS SubmittedAt, electronic_service AS ElectronicService,
            delivery_method AS DeliveryMethod
        FROM licence_requests WHERE application_id = @ApplicationId
        """;

    /// <summary>A licence to be collected at the hall: its handing over is 直接送达 of the approval.</summary>
    public const string PickupSql = "UPDATE licence_requests SET delivery_method = 'Pickup' WHERE application_id = @ApplicationId";

    public string ApplicationNumber { get; init; } = "";
    public string? BusinessName { get; init; }
    public string? PremisesAddress { get; init; }
    public string RequestType { get; init; } = "";
    public DateTimeOffset? SubmittedAt { get; init; }
    public bool ElectronicService { get; init; }
    public string? DeliveryMethod { get; init; }

    public string Name => string.IsNullOrWhiteSpace(BusinessName) ? UnknownApplicant : BusinessName;

    public bool Known => ApplicationNumber.Length > 0;

    public static async Task<ApplicantFacts> LoadAsync(DbSession session, Guid applicationId) =>
        await session.QuerySingleOrDefaultAsync<ApplicantFacts>(ByApplicationSql, new { ApplicationId = applicationId }) ?? new ApplicantFacts();
}
