using Grpc.Core;
using Permits.Shared.Data;

namespace Permits.Intake.Features;

/// <summary>
/// The applicant's own application as the steps after submitting (撤回, 补正, 好差评) need it, read in the step's
/// transaction. Another's application and an unknown id answer alike: NOT_FOUND.
/// </summary>
public sealed class OwnedApplication
{
    private const string OwnedSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode, status AS Status,
               client_request_id AS ClientRequestId, request_type AS RequestType, form_json AS FormJson
        FROM applications WHERE id = @Id AND owner_subject = @Owner
        """;

    public Guid Id { get; init; }

    public string ApplicationNumber { get; init; } = "";

    public string CountyCode { get; init; } = "";

    public string Status { get; init; } = "";

    public string ClientRequestId { get; init; } = "";

    /// <summary>The request-type code (Permits.Contracts.Licensing.RequestTypes).</summary>
    public string RequestType { get; init; } = "";

    public string? FormJson { get; init; }

    public static async Task<OwnedApplication> LoadAsync(DbSession session, string applicationId, string owner)
    {
        if (!Guid.TryParse(applicationId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        }

        return await session.QuerySingleOrDefaultAsync<OwnedApplication>(OwnedSql, new { Id = id, Owner = owner })
               ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
    }
}
