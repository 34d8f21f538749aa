using MassTransit;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The hall-pickup journey's SMS in the distributed system (issue 16, "in both modes"), on the same system as the
/// other distributed journeys so it costs no start of its own. Notifications is killed (SIGKILL) and restarted right
/// after the clerk accepted, while it takes in and sends that step's message, and afterwards every event is delivered
/// again: the fake gateway still holds exactly one text per step (in the order the events arrived).
/// </summary>
public sealed partial class When_a_licence_travels_the_distributed_system
{
    [Fact]
    public async Task Should_text_the_applicant_once_per_step_though_notifications_was_killed_and_every_event_came_again()
    {
        using var delivery = Channels.For(fixture.System.GrpcUrlOf(DistributedSystem.Delivery));
        using var notifications = Channels.For(fixture.System.GrpcUrlOf(DistributedSystem.Notifications));
        var smsUrl = fixture.System.UrlOf(DistributedSystem.FakeSms);
        var trip = await HallPickupJourney.TravelAsync(
            fixture.Journey, delivery, accepted: () => fixture.System.RestartAsync(DistributedSystem.Notifications));
        // Each step's text exactly once; their order is the order the events reached Notifications, which after its
        // restart is not always the order the steps happened (the services' outboxes relay on their own).
        var texts = await HallPickupTexts.ReceivedAsync(trip, fixture.Journey, notifications, smsUrl, inStepOrder: false);

        // Every event again with its own id (a broker redelivering), and the delivery under a new id (a relay replaying).
        await RepublishEverythingAsync();
        await OnBusAsync(async bus =>
        {
            await bus.Publish(HallPickupTexts.Delivered(trip.HandedOver), context => context.MessageId = Guid.NewGuid());
            return 1;
        });
        await WaitForQuietAsync();

        Assert.Equal(texts, await HallPickupTexts.ReceivedAsync(trip, fixture.Journey, notifications, smsUrl, inStepOrder: false));
    }
}
