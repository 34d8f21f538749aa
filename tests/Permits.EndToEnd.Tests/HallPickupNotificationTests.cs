using Grpc.Net.Client;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
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
    [Fact]
    public async Task Should_receive_exactly_one_sms_per_step_in_order_even_after_a_republished_event()
    {
        var texts = await HallPickupTexts.ReceivedAsync(journey.Trip, journey.Journey, journey.Channel, journey.SmsUrl);

        // The delivery published again under a new message id (a relay replaying after a crash): the inbox lets it in,
        // and Notifications still sends nothing twice.
        var replay = NewId.NextGuid();
        await journey.Services.GetRequiredService<IBus>().Publish(HallPickupTexts.Delivered(journey.HandedOver), context => context.MessageId = replay);
        await Eventually.TrueAsync(() => NotificationsReceivedAsync(replay), journey.Journey.Patience, "Notifications to take in the replayed delivery");

        Assert.Equal(texts, await HallPickupTexts.ReceivedAsync(journey.Trip, journey.Journey, journey.Channel, journey.SmsUrl));
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

/// <summary>
/// What the applicant of a <see cref="HallPickupJourney"/> must have received, in either mode: one SMS per event (in
/// the order the steps happened where nothing was killed), each naming what it is about, and nothing at the gateway
/// but these.
/// </summary>
public static class HallPickupTexts
{
    /// <summary>The events the applicant hears of, in the order they happen on this journey.</summary>
    private static readonly string[] Expected =
    [
        "CorrectionRequested", "ApplicationAccepted", "LicenceApproved", "CertificateIssued", "ShipmentAwaitingPickup",
        "ShipmentDelivered", "DocumentServed",
    ];

    /// <summary>
    /// Waits until Notifications recorded every message of the trip as sent (read as the county's clerk through
    /// <paramref name="notifications"/>), checks the recorded sequence and that the gateway at <paramref name="smsUrl"/>
    /// holds exactly those texts, and returns the texts.
    /// </summary>
    /// <param name="inStepOrder">
    /// False where Notifications took the events from several services' outboxes in whatever order they arrived (the
    /// distributed system after a kill): then each step's text exactly once, in any order.
    /// </param>
    public static async Task<IReadOnlyList<string>> ReceivedAsync(
        HallPickupTrip trip, LicenceJourney journey, GrpcChannel notifications, string smsUrl, bool inStepOrder = true)
    {
        var messages = new Messages.MessagesClient(notifications);
        var clerk = await journey.Officers.AsAsync(HallPickupJourney.County, "clerk");
        var sent = await Eventually.GetAsync(
            async () => (IReadOnlyList<SentMessage>?)(await messages.ListMessagesAsync(
                new ListMessagesRequest { ApplicationId = trip.Delivered.ApplicationId }, clerk)).Messages.ToList(),
            m => m.Count >= Expected.Length && m.All(x => x.Status == "Sent"),
            journey.Patience, "every message of the journey sent");
        var texts = await Eventually.GetAsync(
            async () => (IReadOnlyList<string>?)await HallPickupJourney.TextsReceivedAsync(smsUrl),
            t => t.Count >= Expected.Length, journey.Patience, "every message at the fake gateway");
        if (inStepOrder)
        {
            Assert.Equal(Expected, sent.Select(m => m.Template));
            Assert.Equal(sent.Select(m => m.Text), texts);
        }
        else
        {
            Assert.Equal(Expected.Order(StringComparer.Ordinal), sent.Select(m => m.Template).Order(StringComparer.Ordinal));
            Assert.Equal(sent.Select(m => m.Text).Order(StringComparer.Ordinal), texts.Order(StringComparer.Ordinal));
        }

        var of = sent.ToDictionary(m => m.Template, m => m.Text, StringComparer.Ordinal);
        var number = trip.Delivered.ApplicationNumber;
        Assert.All(texts, text => Assert.StartsWith("【海盐县烟草专卖局】", text));
        Assert.All(texts, text => Assert.Contains(number, text));
        Assert.Contains(trip.CorrectionDocumentNumber, of["CorrectionRequested"]);
        Assert.Contains("场所使用证明", of["CorrectionRequested"]);
        Assert.Contains(trip.ServedCase.AcceptanceDocumentNumber, of["ApplicationAccepted"]);
        Assert.Contains(trip.ServedCase.DecisionDocumentNumber, of["LicenceApproved"]);
        Assert.Contains(trip.Delivered.LicenceNumber, of["CertificateIssued"]);
        Assert.Contains(trip.HandedOver.PickupAddress, of["ShipmentAwaitingPickup"]);
        Assert.DoesNotContain(trip.HandedOver.PickupCode is { Length: > 0 } code ? code : "never-empty", of["ShipmentAwaitingPickup"]);
        Assert.Contains("王**", of["ShipmentDelivered"]);
        Assert.Contains("准予行政许可决定书", of["DocumentServed"]);
        Assert.Contains("直接送达", of["DocumentServed"]);
        return texts;
    }

    /// <summary>The trip's delivery as Delivery published it, to publish again.</summary>
    public static ShipmentDelivered Delivered(Shipment shipment) =>
        new(Guid.Parse(shipment.ShipmentId), Guid.Parse(shipment.ApplicationId), shipment.WaybillNumber,
            shipment.SignedBy, shipment.DeliveredAt.ToDateTimeOffset());
}
