using Permits.Notifications.Features;
using Permits.Shared.Hosting;

namespace Permits.Notifications.Workers;

/// <summary>Looks for due expiry reminders and clerk notices (<c>Notifications:ReminderPollMs</c>, default 60000).</summary>
public sealed class ExpiryReminderWorker(
    SendExpiryReminders reminders, NotificationSettings settings, TimeProvider time, ILogger<ExpiryReminderWorker> logger)
    : PollingWorker(time, logger)
{
    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken) =>
        await reminders.RunOnceAsync(cancellationToken) >= NotificationSettings.BatchSize ? TimeSpan.Zero : settings.ReminderPoll;
}
