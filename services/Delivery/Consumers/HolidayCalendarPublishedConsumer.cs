using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Delivery.Consumers;

/// <summary>
/// A year's holiday arrangement published: the 送达 deadline of every shipment not yet delivered whose last day falls
/// on or after the year's first day is counted again by the rule every service uses (<see cref="CalendarChange.Recount"/>),
/// so the shipment's lateness is judged on the published calendar, as Review's service clock is.
/// </summary>
public sealed class HolidayCalendarPublishedConsumer(
    ServiceDatabase<DeliveryModule> database, WorkingDayCalendar calendar, TimeProvider time, ILogger<HolidayCalendarPublishedConsumer> logger)
    : HolidayCalendarConsumer<DeliveryModule>(database, calendar, time, logger)
{
    private const string OpenSql = """
        SELECT id AS Id, service_due_by AS DueBy, service_due_provisional AS Provisional FROM shipments
        WHERE delivered_at IS NULL AND service_due_by >= @From
        """;

    private const string UpdateSql = "UPDATE shipments SET service_due_by = @DueBy, service_due_provisional = @Provisional WHERE id = @Id";

    protected override async Task<int> RecomputeAsync(CalendarChange change, DbSession session, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var row in (await session.QueryAsync<Open>(OpenSql, new { From = new DateOnly(change.Year.Year, 1, 1) })).ToList())
        {
            if (change.Recount(row.DueBy, row.Provisional != 0) is { } due)
            {
                await session.ExecuteAsync(UpdateSql, new { row.Id, DueBy = due.Date, Provisional = due.Provisional ? 1 : 0 });
                moved++;
            }
        }

        return moved;
    }

    private sealed class Open
    {
        public Guid Id { get; init; }
        public DateOnly DueBy { get; init; }
        public int Provisional { get; init; }
    }
}
