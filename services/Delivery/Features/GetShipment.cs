using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Delivery.Features;

/// <summary>Which parts of a shipment a caller may see.</summary>
public enum ShipmentView
{
    /// <summary>Anyone (the public progress page): no pickup code, no failure reason, names masked.</summary>
    Public,

    /// <summary>The applicant who owns the application: everything, the pickup code included.</summary>
    Owner,

    /// <summary>An officer of the shipment's county: everything but the pickup code, which they must be shown.</summary>
    Officer,
}

/// <summary>
/// The shipment of an application with its tracking history (物流进度), service limit and pickup details, cut to the
/// caller's view (<see cref="ShipmentView"/>): the token decides, never the request. The owner is whoever Intake says
/// owns the application (<see cref="ApplicationOwners"/>).
/// </summary>
public sealed class GetShipment(
    ServiceDatabase<DeliveryModule> database,
    CountyDirectory counties,
    ApplicationOwners owners,
    OfficerAudit<DeliveryModule> audit)
{
    private const string EventsSql = $"""
        SELECT {TrackingRow.Columns}
        FROM shipment_events WHERE shipment_id = @ShipmentId ORDER BY recorded_at, sequence
        """;

    /// <summary>
    /// GetShipment: the public view, the owner's or the county officer's, as the caller's token allows.
    /// <paramref name="authorization"/> is the caller's own Authorization header, forwarded when Intake is asked
    /// whether they own the application.
    /// </summary>
    public async Task<Shipment> HandleAsync(
        GetShipmentRequest request, CallerIdentity caller, string authorization, CancellationToken cancellationToken)
    {
        var applicationId = ShipmentRows.ApplicationIdOf(request.ApplicationId);
        var row = await ShipmentRows.ReadAsync(database, applicationId, cancellationToken);

        // Intake is asked with no transaction open here (SQLite's would hold the write lock meanwhile).
        var view = ShipmentView.Public;
        if (HallSteps.MayView(caller, row.CountyCode))
        {
            view = ShipmentView.Officer;
        }
        else if (caller.IsAuthenticated && caller.IsInRole(PermitsRoles.Applicant)
                 && !await UncheckedRequestAsync(applicationId, cancellationToken)
                 && await owners.IsOwnerAsync(applicationId, authorization, cancellationToken))
        {
            view = ShipmentView.Owner;
        }

        await using var session = await database.BeginAsync(cancellationToken);
        return await ReplyAsync(session, row, view);
    }

    /// <summary>
    /// A request on a licence (补办, ...) filed before Intake checked that its applicant holds the licence: owning it proves
    /// nothing, so its applicant gets the public view (no pickup code); the county's officers hand the licence over.
    /// </summary>
    private async Task<bool> UncheckedRequestAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, UncheckedRequestSql, new { ApplicationId = applicationId }) > 0;
    }

    private const string UncheckedRequestSql = """
        SELECT COUNT(*) FROM delivery_requests
        WHERE application_id = @ApplicationId AND licence_number IS NOT NULL AND holder_match IS NULL
        """;

    /// <summary>GetCountyShipment: for an officer of the shipment's county only; another county's is refused and audited.</summary>
    public async Task<Shipment> ForOfficerAsync(GetShipmentRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var applicationId = ShipmentRows.ApplicationIdOf(request.ApplicationId);
        var row = await ShipmentRows.GetForOfficerAsync(database, audit, applicationId, officer, HallSteps.View, cancellationToken);
        await using var session = await database.BeginAsync(cancellationToken);
        return await ReplyAsync(session, row, ShipmentView.Officer);
    }

    /// <summary>The reply for a shipment row, read in the caller's transaction.</summary>
    public async Task<Shipment> ReplyAsync(DbSession session, ShipmentRow row, ShipmentView view)
    {
        var events = await session.QueryAsync<TrackingRow>(EventsSql, new { ShipmentId = row.Id });
        var hall = await CountyHalls.HallAsync(session.Connection, session.Transaction, counties.Get(row.CountyCode));
        var open = view != ShipmentView.Public;
        var reply = new Shipment
        {
            ShipmentId = row.Id.ToString(),
            ApplicationId = row.ApplicationId.ToString(),
            ApplicationNumber = row.ApplicationNumber,
            CountyCode = row.CountyCode,
            Method = row.Method,
            Status = row.Status,
            Courier = row.Courier ?? "",
            WaybillNumber = row.WaybillNumber ?? "",
            SignedBy = open ? row.SignedBy ?? "" : Masked(row.SignedBy),
            ServiceDueBy = ChinaTime.Text(row.ServiceDueBy),
            // The code is the applicant's proof at the hall: only they see it, and only while it is needed.
            PickupCode = view == ShipmentView.Owner && row.Status == ShipmentStatus.AwaitingPickup ? row.PickupCode ?? "" : "",
            PickupAddress = hall.Address,
            PickupOpeningHours = hall.OpeningHours,
            PickupPhone = hall.Phone,
            Late = row.LateFlaggedAt is not null,
            ServiceDueProvisional = row.ServiceDueProvisional != 0,
            FailureReason = open ? row.FailureReason ?? "" : "",
            DeliveryAttempts = row.DeliveryAttempts,
            RecipientName = view == ShipmentView.Public ? "" : row.RecipientName,
            HandedOverBy = view == ShipmentView.Officer ? row.HandedOverBy ?? "" : "",
            View = view switch
            {
                ShipmentView.Owner => "owner",
                ShipmentView.Officer => "officer",
                _ => "public",
            },
        };
        if (row.DeliveredAt is { } deliveredAt)
        {
            reply.DeliveredAt = Timestamp.FromDateTimeOffset(deliveredAt);
        }

        reply.Events.AddRange(events.Select(e => new TrackingEvent
        {
            Sequence = e.Sequence,
            Status = e.Status,
            At = Timestamp.FromDateTimeOffset(e.OccurredAt),
            Detail = open ? e.Detail : PublicDetail(e, row),
        }));
        return reply;
    }

    private static string Masked(string? name) => string.IsNullOrWhiteSpace(name) ? "" : PersonalData.MaskName(name);

    /// <summary>
    /// The courier's words may name the recipient or the signer, or say why nobody took the parcel: the public reads
    /// the step without them.
    /// </summary>
    private static string PublicDetail(TrackingRow e, ShipmentRow row)
    {
        if (e.Status is "Failed" or ShipmentStatus.DeliveryFailed)
        {
            return "投递未成功";
        }

        var detail = e.Detail;
        foreach (var name in new[] { row.SignedBy, row.RecipientName }.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct())
        {
            detail = detail.Replace(name!.Trim(), PersonalData.MaskName(name), StringComparison.Ordinal);
        }

        return PersonalData.Scrub(detail);
    }
}
