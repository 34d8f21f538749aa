using Grpc.Core;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>Reading one shipment by application id, for the gRPC features.</summary>
public static class ShipmentRows
{
    public const string ByApplicationSql = """
        SELECT id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber,
               county_code AS CountyCode, method AS Method, status AS Status, courier AS Courier,
               waybill_number AS WaybillNumber, signed_by AS SignedBy, service_due_by AS ServiceDueBy,
               service_due_provisional AS ServiceDueProvisional, pickup_code AS PickupCode,
               late_flagged_at AS LateFlaggedAt, failure_reason AS FailureReason, delivered_at AS DeliveredAt,
               delivery_attempts AS DeliveryAttempts, recipient_name AS RecipientName, handed_over_by AS HandedOverBy
        FROM shipments WHERE application_id = @ApplicationId
        """;

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
    /// The shipment an officer is about to see or act on, read in a short transaction of its own (SQLite's write
    /// transaction holds the write lock, and a refusal is audited on its own connection). Another county's shipment
    /// is refused with PERMISSION_DENIED, and the refusal audited.
    /// </summary>
    public static async Task<ShipmentRow> GetForOfficerAsync(
        ServiceDatabase<DeliveryModule> database, ShipmentAudit audit, Guid applicationId, HallOfficer officer, string action,
        CancellationToken cancellationToken)
    {
        ShipmentRow row;
        await using (var read = await database.BeginAsync(cancellationToken))
        {
            row = await GetAsync(read, applicationId);
        }

        if (!officer.ActsIn(row.CountyCode))
        {
            await audit.RefusedAsync(row.Id, row.CountyCode, officer, action, "其他县（市、区）局的许可证");
            throw ShipmentAccess.OtherCounty();
        }

        return row;
    }

    public static RpcException NotFound() => new(new Status(StatusCode.NotFound, "该申请暂无送达记录（许可证尚未发出）"));
}

public sealed class ShipmentRow
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public string ApplicationNumber { get; init; } = "";
    public string CountyCode { get; init; } = "";
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
