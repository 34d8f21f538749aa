using Permits.Contracts;
using Permits.Contracts.Calendar;

namespace Permits.Delivery.Tests;

/// <summary>
/// A shipment's 送达 limit reaching into an unpublished year (2040 here: far enough ahead to stay unpublished) is
/// provisional; the year's arrangement published, the limit is counted on it and no longer provisional.
/// </summary>
public sealed class When_a_holiday_year_is_published
{
    [Fact]
    public async Task Should_recount_the_service_limit_of_a_shipment_not_yet_delivered()
    {
        await using var host = await DeliveryHost.StartAsync();
        // Friday 2040-03-02: ten working days on a weekends-only 2040 end on Friday 2040-03-16.
        var application = await host.IssueAsync(DeliveryMethod.Pickup, issuedAt: new DateTimeOffset(2040, 3, 2, 2, 0, 0, TimeSpan.Zero));
        var before = await host.WaitForStatusAsync(application, "AwaitingPickup");
        Assert.Equal("2040-03-16", before.ServiceDueBy);
        Assert.True(before.ServiceDueProvisional);

        // Monday 2040-03-05 off: the limit ends one working day later, on Monday 2040-03-19.
        await host.PublishAndWaitAsync(new HolidayCalendarPublished(
            2040, [new DateOnly(2040, 3, 5)], [], "国办发明电〔2039〕9号", 1, DateTimeOffset.UtcNow, "o-hy-admin"), Guid.NewGuid());

        var after = await host.GetAsync(application);
        Assert.Equal("2040-03-19", after.ServiceDueBy);
        Assert.False(after.ServiceDueProvisional);
    }
}
