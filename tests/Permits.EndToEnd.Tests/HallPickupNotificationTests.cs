using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Delivery;
using Permits.Contracts.Notifications.V1;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The applicant is told at every step of a journey with a correction and a hall pickup (issue 16): exactly one SMS
/// per event, in the order the steps happened, and the same event published again changes nothing.
/// </summary>
[Collection(HallPickupJourney.Collection)]
public sealed class When_a_corrected_licence_is_collected_at_the_hall_the_applicant(HallPickupJourney journey)
{
    /// <summary>The events the applicant hears of, in the order they happen on this journey.</summary>
    private static readonly string[] Expected =
    [
        "CorrectionRequested", "ApplicationAccepted", "LicenceApproved", "CertificateIssued", "ShipmentAwaitingPickup",
        "ShipmentDelivered", "DocumentServed",
    ];

    [Fact]
    public async Task Should_receive_exactly_one_sms_per_step_in_order_even_after_a_republished_event()
    {
        var sent = await SentAsync();
        Assert.Equal(Expected, sent.Select(m => m.Template));
        var texts = await Eventually.GetAsync(
            async () => (IReadOnlyList<string>?)await journey.TextsReceivedAsync(),
            t => t.Count >= Expected.Length, journey.Journey.Patience, "every message at the fake gateway");
        Assert.Equal(sent.Select(m => m.Text), texts);

        var number = journey.Delivered.ApplicationNumber;
        Assert.All(texts, text => Assert.StartsWith("【海盐县烟草专卖局】", text));
        Assert.All(texts, text => Assert.Contains(number, text));
        Assert.Contains(journey.CorrectionDocumentNumber, texts[0]);
        Assert.Contains("场所使用证明", texts[0]);
        Assert.Contains(journey.ServedCase.AcceptanceDocumentNumber, texts[1]);
        Assert.Contains(journey.ServedCase.DecisionDocumentNumber, texts[2]);
        Assert.Contains(journey.Delivered.LicenceNumber, texts[3]);
        Assert.Contains(journey.HandedOver.PickupAddress, texts[4]);
        Assert.DoesNotContain(journey.HandedOver.PickupCode is { Length: > 0 } code ? code : "never-empty", texts[4]);
        Assert.Contains("王**", texts[5]);
        Assert.Contains("准予行政许可决定书", texts[6]);
        Assert.Contains("直接送达", texts[6]);

        // The delivery published again under a new message id (a relay replaying after a crash): the inbox lets it in,
        // and Notifications still sends nothing twice.
        var shipment = journey.HandedOver;
        var replay = NewId.NextGuid();
        var bus = journey.Services.GetRequiredService<IBus>();
        await bus.Publish(
            new ShipmentDelivered(Guid.Parse(shipment.ShipmentId), Guid.Parse(shipment.ApplicationId), shipment.WaybillNumber,
                shipment.SignedBy, shipment.DeliveredAt.ToDateTimeOffset()),
            context => context.MessageId = replay);
        await Eventually.TrueAsync(() => NotificationsReceivedAsync(replay), journey.Journey.Patience, "Notifications to take in the replayed delivery");

        Assert.Equal(Expected, (await SentAsync()).Select(m => m.Template));
        Assert.Equal(texts, await journey.TextsReceivedAsync());
    }

    /// <summary>What Notifications recorded for the application (as its county's clerk sees it), once all of it is sent.</summary>
    private async Task<IReadOnlyList<SentMessage>> SentAsync()
    {
        var messages = new Messages.MessagesClient(journey.Channel);
        var clerk = await journey.Journey.Officers.AsAsync(HallPickupJourney.County, "clerk");
        return await Eventually.GetAsync(
            async () => (IReadOnlyList<SentMessage>?)(await messages.ListMessagesAsync(
                new ListMessagesRequest { ApplicationId = journey.Delivered.ApplicationId }, clerk)).Messages.ToList(),
            m => m.Count >= Expected.Length && m.All(x => x.Status == "Sent"),
            journey.Journey.Patience, "every message of the journey sent");
    }

    /// <summary>Whether Notifications' inbox holds the message (its consumer committed its effect with it).</summary>
    private async Task<bool> NotificationsReceivedAsync(Guid messageId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(journey.DataDirectory, "notifications.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Stored as text by Permits.Shared's Guid handler; a BLOB is SQLite's own default, matched too.
        command.CommandText = "SELECT COUNT(*) FROM inbox_messages WHERE message_id IN ($text, $upper, $blob)";
        command.Parameters.AddWithValue("$text", messageId.ToString("D"));
        command.Parameters.AddWithValue("$upper", messageId.ToString("D").ToUpperInvariant());
        command.Parameters.AddWithValue("$blob", messageId.ToByteArray());
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
