using Dapper;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Shared.Data;

namespace Permits.Intake.Features;

/// <summary>我的办件: the signed-in applicant's own applications and drafts, newest first; never anyone else's.</summary>
public sealed class MyApplications(ServiceDatabase<IntakeModule> database)
{
    /// <summary>The applications, then the drafts: one round trip (and one implicit transaction) for the whole page.</summary>
    private const string ByOwnerSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, business_name AS BusinessName,
               request_type AS RequestType, status AS Status, submitted_at AS SubmittedAt
        FROM applications WHERE owner_subject = @Owner ORDER BY submitted_at DESC;
        """ + "\n" + Drafts.ByOwnerSql;

    public async Task<ListMyApplicationsResponse> HandleAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var grid = await connection.QueryMultipleAsync(ByOwnerSql, new { Owner = owner });
        var rows = await grid.ReadAsync<SummaryRow>();
        var reply = new ListMyApplicationsResponse();
        reply.Applications.AddRange(rows.Select(r => new ApplicationSummary
        {
            ApplicationId = r.Id.ToString(),
            ApplicationNumber = r.ApplicationNumber,
            BusinessName = r.BusinessName,
            RequestType = RequestTypes.Proto(r.RequestType),
            Status = r.Status,
            StatusLabel = ApplicationStatus.Label(r.Status),
            SubmittedAt = Timestamp.FromDateTimeOffset(r.SubmittedAt),
        }));
        reply.Drafts.AddRange(await Drafts.ReadAsync(grid));
        return reply;
    }

    private sealed class SummaryRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string BusinessName { get; init; } = "";
        public string RequestType { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset SubmittedAt { get; init; }
    }
}
