using Grpc.Core;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Delivery.Features;

/// <summary>Reading one shipment by application id, for the gRPC features.</summary>
public static class ShipmentRows
{
    public const string ByApplicationSql = $"""
        SELECT {Columns}
        FROM shipments WHERE application_id = @ApplicationId
        """;

    private const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber,
               county_code AS CountyCode, method AS Method, status AS Status, courier AS Courier,
               waybill_number AS WaybillNumber, signed_by AS SignedBy, service_due_by AS ServiceDueBy,
               service_due_provisional AS ServiceDueProvisional, pickup_code AS PickupCode,
               late_flagged_at AS LateFlaggedAt, failure_reason AS FailureReason, delivered_at AS DeliveredAt,
               delivery_attempts AS DeliveryAttempts, recipient_name AS RecipientName, handed_over_by AS HandedOverBy
        """;

    private const string ByIdSql = $"""
        SELECT {Columns}
        FROM shipments WHERE id = @Id
        """;

    private const string CountySql = "SELECT county_code FROM shipments WHERE id = @Id";

    /// <summary>The application id of a request, or INVALID_ARGUMENT naming the field.</summary>
    public static Guid ApplicationIdOf(string text, FieldErrors? errors = null)
    {
        text = text.Trim();
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        (errors ?? new FieldErrors())
            .Add("application_id", text.Length == 0 ? "请提供申请 ID" : "申请 ID 格式不正确")
            .ThrowIfAny();
        return id;
    }

    public static async Task<ShipmentRow> GetAsync(DbSession session, Guid applicationId) =>
        await session.QuerySingleOrDefaultAsync<ShipmentRow>(ByApplicationSql, new { ApplicationId = applicationId })
        ?? throw NotFound();

    /// <summary>
    /// The shipment an officer is about to see, read in a short transaction of its own (SQLite's write transaction
    /// holds the write lock, and a refusal is audited on its own connection). Another county's shipment is refused
    /// with PERMISSION_DENIED, and the refusal audited.
    /// </summary>
    public static async Task<ShipmentRow> GetForOfficerAsync(
        ServiceDatabase<DeliveryModule> database, OfficerAudit<DeliveryModule> audit, Guid applicationId, Officer officer,
        OfficerStep step, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(database, applicationId, cancellationToken);
        if (OfficerGuard.Decide(officer, step, row.CountyCode, HallSteps.Noun) is { Allowed: false } verdict)
        {
            await audit.RefusedAsync(officer, step, SubjectOf(row.Id), row.CountyCode, verdict.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }

        return row;
    }

    /// <summary>The shipment of an application, read on its own (NOT_FOUND if there is none).</summary>
    public static async Task<ShipmentRow> ReadAsync(ServiceDatabase<DeliveryModule> database, Guid applicationId, CancellationToken cancellationToken)
    {
        await using var read = await database.BeginAsync(cancellationToken);
        return await GetAsync(read, applicationId);
    }

    /// <summary>A hall step's target: the shipment (found by <paramref name="shipment"/>'s id), loaded again in the step's transaction.</summary>
    public static StepTarget<ShipmentRow> Target(ShipmentRow shipment) => StepTarget<ShipmentRow>.Sql(
        SubjectOf(shipment.Id), HallSteps.Noun, NotFoundMessage, ByIdSql, CountySql, new { shipment.Id }, row => row.CountyCode);

    /// <summary>How the officer audit names a shipment.</summary>
    public static string SubjectOf(Guid shipmentId) => shipmentId.ToString();

    public static RpcException NotFound() => new(new Status(StatusCode.NotFound, NotFoundMessage));

    private const string NotFoundMessage = "该申请暂无送达记录（许可证尚未发出）";
}

public sealed class ShipmentRow : ShipmentKey
{
    public string Method { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Courier { get; init; }
    public string? WaybillNumber { get; init; }
    public string? SignedBy { get; init; }
    public DateOnly ServiceDueBy { get; init; }
    public int ServiceDueProvisional { get; init; }
    public string? PickupCode { get; init; }
    public DateTimeOffset? LateFlaggedAt { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public int DeliveryAttempts { get; init; }
    public string RecipientName { get; init; } = "";
    public string? HandedOverBy { get; init; }
}
