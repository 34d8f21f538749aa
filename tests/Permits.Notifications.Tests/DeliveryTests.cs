using System.Net.Http.Json;
using Grpc.Core;
using Permits.Contracts.Notifications.V1;
using Permits.Contracts.Review;
using Permits.Notifications.Domain;
using Permits.Notifications.Sms;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Notifications.Tests;

/// <summary>Events sent to the applicant, made once each: the documents of one application, numbered.</summary>
internal static class Notices
{
    public static ApplicationAccepted Accepted(Guid applicationId, int document = 1) =>
        new(applicationId, Guid.NewGuid(), NotificationsHost.County, $"盐烟专受〔2026〕{document}号", "o-hy-clerk",
            DateTimeOffset.UtcNow, new DateOnly(2026, 3, 30), false);

    /// <summary>
    /// On a host whose clock reads 2026-03-02 22:00 (China time): an application is accepted, and its message waits
    /// for 08:00 the next morning (quiet hours). Returns the application and that morning.
    /// </summary>
    public static async Task<(Guid ApplicationId, DateTimeOffset Morning)> AcceptedAtNightAsync(NotificationsHost host)
    {
        var applicationId = await host.SubmitAsync();
        await host.PublishAndWaitAsync(Accepted(applicationId), Guid.NewGuid());
        var morning = ChinaTime.StartOf(new DateOnly(2026, 3, 3)).AddHours(8);
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification_messages WHERE application_id = @Id AND next_attempt_at = @Morning AND status = @Pending",
                new { Id = applicationId, Morning = morning, MessageStatus.Pending }) == 1,
            "the message deferred to 08:00");
        return (applicationId, morning);
    }

    public static CorrectionRequested Correction(Guid applicationId, int document = 1) =>
        new(applicationId, Guid.NewGuid(), NotificationsHost.County, $"盐烟专补〔2026〕{document}号",
            [new CorrectionItem("场所使用证明", "租赁合同已过期")], "o-hy-clerk", DateTimeOffset.UtcNow);
}

/// <summary>
/// An event that arrives again — redelivered by the broker with its id, republished with a new id, or after the
/// service restarted — sends nothing twice. A later event, sent after it, shows that the sender had its chance.
/// </summary>
public sealed class When_an_event_arrives_again
{
    [Fact]
    public async Task Should_send_one_message_over_RabbitMq_and_across_a_restart()
    {
        string connectionString;
        string smsUrl;
        Guid applicationId;
        var accepted = default(ApplicationAccepted)!;
        var messageId = Guid.NewGuid();
        await using (var first = await NotificationsHost.StartAsync(rabbitMq: true))
        {
            connectionString = first.ConnectionString;
            smsUrl = first.SmsUrl;
            applicationId = await first.SubmitAsync();
            accepted = Notices.Accepted(applicationId);
            await first.PublishAndWaitAsync(accepted, messageId);
            await first.WaitForSentAsync(1);
            await first.PublishAndWaitAsync(accepted, messageId);
            await first.PublishAndWaitAsync(accepted, Guid.NewGuid());
            Assert.Equal(1, await first.CountAsync(applicationId));
        }

        // The fake gateway forgets with its process: the restarted service's messages alone are counted from here.
        await using var restarted = await NotificationsHost.StartAsync(rabbitMq: true, connectionString: connectionString, smsUrl: smsUrl);
        await restarted.PublishAndWaitAsync(accepted, messageId);
        await restarted.PublishAndWaitAsync(accepted, Guid.NewGuid());
        await restarted.PublishAndWaitAsync(Notices.Correction(applicationId), Guid.NewGuid());

        var sent = await restarted.WaitForSentAsync(1);
        Assert.Single(sent);
        Assert.Contains("需要补正材料", sent[0]);
        Assert.Equal(2, await restarted.CountAsync(applicationId));
    }
}

/// <summary>The gateway is down when a message is due, and comes back: the message is retried and sent once.</summary>
public sealed class When_the_gateway_fails_then_recovers
{
    [Fact]
    public async Task Should_retry_and_send_once()
    {
        await using var host = await NotificationsHost.StartAsync(gatewayUp: false);
        var applicationId = await host.SubmitAsync();
        await host.PublishAndWaitAsync(Notices.Accepted(applicationId), Guid.NewGuid());

        // The clock stands still but for the test: each failure puts the next attempt a moment later, so move it on.
        for (var attempts = 1; attempts <= 2; attempts++)
        {
            await host.WaitUntilAsync(
                async () => await host.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM notification_messages WHERE application_id = @Id AND status = @Retrying AND attempts = @Attempts",
                    new { Id = applicationId, MessageStatus.Retrying, Attempts = attempts }) == 1,
                $"failed attempt {attempts} recorded");
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification_messages WHERE application_id = @Id AND attempts = 3",
                new { Id = applicationId }) == 1,
            "failed attempt 3 recorded");
        await host.StartGatewayAsync();
        host.Time.Advance(TimeSpan.FromSeconds(1));

        await host.WaitUntilAsync(async () => await host.StatusAsync(applicationId, "ApplicationAccepted") == MessageStatus.Sent, "the message sent");
        Assert.Single(await host.SentToAsync());
        var messages = await host.Client.ListMessagesAsync(
            new ListMessagesRequest { ApplicationId = applicationId.ToString() }, NotificationsHost.AsOfficer());
        var message = Assert.Single(messages.Messages);
        Assert.Equal(4, message.Attempts);
        Assert.Equal("", message.Note);
    }
}

/// <summary>An event at night: the message waits for the morning (China time), then goes out.</summary>
public sealed class When_an_event_arrives_in_quiet_hours
{
    [Fact]
    public async Task Should_send_at_eight_the_next_morning()
    {
        var time = ManualTime.AtChinaTime(2026, 3, 2, hour: 22);
        await using var host = await NotificationsHost.StartAsync(time);
        var (applicationId, _) = await Notices.AcceptedAtNightAsync(host);
        Assert.Empty(await host.SentToAsync());

        time.Set(2026, 3, 3, hour: 8);
        await host.WaitForSentAsync(1);
        Assert.Equal(MessageStatus.Sent, await host.StatusAsync(applicationId, "ApplicationAccepted"));
    }
}

/// <summary>
/// The sender died between the gateway accepting a text and recording it as sent (the known window of any
/// send-then-record): its lease runs out, another sender sends again with the same message id, and the gateway, which
/// dedupes on that id as real gateways do, sends nothing new; the message is recorded as sent.
/// </summary>
public sealed class When_a_sender_dies_after_the_gateway_accepted_its_text
{
    [Fact]
    public async Task Should_leave_one_text_at_the_gateway_and_record_the_message_sent()
    {
        // At night the message waits for 08:00, which leaves the test time to stage the dead sender's traces.
        var time = ManualTime.AtChinaTime(2026, 3, 2, hour: 22);
        await using var host = await NotificationsHost.StartAsync(time);
        var (applicationId, morning) = await Notices.AcceptedAtNightAsync(host);

        // What a sender leaves when it is killed right after the gateway's 202: its lease on the row, the text out.
        var id = await host.ScalarAsync<Guid>("SELECT id FROM notification_messages WHERE application_id = @Id", new { Id = applicationId });
        await host.ExecuteAsync(
            "UPDATE notification_messages SET claimed_by = 'a-sender-killed-mid-send', claimed_until = @Until WHERE id = @Id",
            new { Id = id, Until = morning.AddMinutes(1) });
        using (var accepted = await host.Sms.PostAsJsonAsync("/api/v1/messages", new
        {
            phone = NotificationsHost.Phone, text = "【海盐县烟草专卖局】您的申请已受理", clientMessageId = SmsGatewayClient.ClientMessageId(id),
        }))
        {
            accepted.EnsureSuccessStatusCode();
        }

        // The lease runs out after the morning: the surviving sender takes the message over and sends it again.
        time.Set(2026, 3, 3, hour: 9);
        await host.WaitUntilAsync(async () => await host.StatusAsync(applicationId, "ApplicationAccepted") == MessageStatus.Sent, "the message sent");

        Assert.Single(await host.SentToAsync());
    }
}

/// <summary>A number that had its daily share of messages gets the rest the next morning.</summary>
public sealed class When_a_number_reaches_its_daily_cap
{
    [Fact]
    public async Task Should_send_the_rest_the_next_day()
    {
        var time = ManualTime.AtChinaTime(2026, 3, 2, hour: 10);
        await using var host = await NotificationsHost.StartAsync(time, settings: new() { ["Notifications:DailyCapPerNumber"] = "2" });
        var applicationId = await host.SubmitAsync();
        for (var document = 1; document <= 3; document++)
        {
            await host.PublishAndWaitAsync(Notices.Correction(applicationId, document), Guid.NewGuid());
        }

        var tomorrow = ChinaTime.StartOf(new DateOnly(2026, 3, 3)).AddHours(8);
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification_messages WHERE application_id = @Id AND next_attempt_at = @Tomorrow",
                new { Id = applicationId, Tomorrow = tomorrow }) == 1,
            "the third message deferred to the next morning");
        Assert.Equal(2, (await host.SentToAsync()).Count);

        time.Set(2026, 3, 3, hour: 9);
        Assert.Equal(3, (await host.WaitForSentAsync(3)).Count);
    }
}

/// <summary>What was sent is shown to the officers of the application's county only, the number masked.</summary>
public sealed class When_an_officer_reads_the_messages_of_a_case
{
    [Fact]
    public async Task Should_show_the_county_officer_what_was_sent_and_refuse_everyone_else()
    {
        await using var host = await NotificationsHost.StartAsync();
        var applicationId = await host.SubmitAsync();
        await host.PublishAndWaitAsync(Notices.Accepted(applicationId), Guid.NewGuid());
        await host.WaitForSentAsync(1);
        await host.WaitUntilAsync(async () => await host.StatusAsync(applicationId, "ApplicationAccepted") == MessageStatus.Sent, "sent");
        var request = new ListMessagesRequest { ApplicationId = applicationId.ToString() };

        var messages = await host.Client.ListMessagesAsync(request, NotificationsHost.AsOfficer(role: "head"));

        var message = Assert.Single(messages.Messages);
        Assert.Equal("138****1234", message.Phone);
        Assert.Equal(MessageStatus.Sent, message.Status);
        Assert.Contains("已受理", message.Text);
        Assert.DoesNotContain(NotificationsHost.Phone, messages.ToString());

        async Task<StatusCode> Refusal(global::Grpc.Core.Metadata? headers, ListMessagesRequest? other = null) =>
            (await Assert.ThrowsAsync<RpcException>(() => host.Client.ListMessagesAsync(other ?? request, headers).ResponseAsync)).StatusCode;

        Assert.Equal(StatusCode.PermissionDenied, await Refusal(NotificationsHost.AsOfficer(NotificationsHost.OtherCounty)));
        Assert.Equal(StatusCode.PermissionDenied, await Refusal(NotificationsHost.AsOfficer(role: "disclosure-clerk")));
        Assert.Equal(StatusCode.PermissionDenied, await Refusal(NotificationsHost.Bearer(Tokens.Applicant(audience: "permits-notifications"))));
        Assert.Equal(StatusCode.Unauthenticated, await Refusal(null));
        Assert.Equal(StatusCode.NotFound, await Refusal(
            NotificationsHost.AsOfficer(), new ListMessagesRequest { ApplicationId = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.InvalidArgument, await Refusal(NotificationsHost.AsOfficer(), new ListMessagesRequest { ApplicationId = "x" }));
        Assert.Equal(1, await host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND officer_county = @County",
            new { Id = applicationId.ToString(), County = NotificationsHost.OtherCounty }));
    }
}
