namespace Permits.Notifications;

/// <summary>
/// How messages are paced. Configuration (section <c>Notifications</c>): <c>QuietHoursStart</c> (21) and
/// <c>QuietHoursEnd</c> (8), China time, between which a message that is not urgent waits for the morning;
/// <c>DailyCapPerNumber</c> (10) messages a number receives per China day at most (the rest wait for the next day);
/// <c>PollMs</c> (500) between sender passes; <c>RetryBaseMs</c> (2000) and <c>RetryMaxMs</c> (600000), the capped
/// backoff after a failed send; <c>MaxAttempts</c> (10) before a message is given up as failed; <c>LeaseSeconds</c>
/// (60) a sender holds a message it is sending. <c>Sms:BaseUrl</c>: the SMS gateway, the one peer this service calls.
/// </summary>
public sealed record NotificationSettings(
    int QuietHoursStart,
    int QuietHoursEnd,
    int DailyCapPerNumber,
    TimeSpan Poll,
    TimeSpan RetryBase,
    TimeSpan RetryMax,
    int MaxAttempts,
    TimeSpan Lease)
{
    /// <summary>Between passes of the expiry reminders (<c>ReminderPollMs</c>, 60000): they are due by the day.</summary>
    public TimeSpan ReminderPoll { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages sent per pass; the rest wait for the next pass.</summary>
    public const int BatchSize = 20;

    /// <summary>How long a message waits for its application's contact number before it is given up.</summary>
    public static readonly TimeSpan ContactWait = TimeSpan.FromDays(1);

    public static NotificationSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Notifications");
        return new NotificationSettings(
            Math.Clamp(section.GetValue("QuietHoursStart", 21), 0, 23),
            Math.Clamp(section.GetValue("QuietHoursEnd", 8), 0, 23),
            Math.Max(1, section.GetValue("DailyCapPerNumber", 10)),
            TimeSpan.FromMilliseconds(section.GetValue("PollMs", 500)),
            TimeSpan.FromMilliseconds(section.GetValue("RetryBaseMs", 2000)),
            TimeSpan.FromMilliseconds(section.GetValue("RetryMaxMs", 600_000)),
            Math.Max(1, section.GetValue("MaxAttempts", 10)),
            TimeSpan.FromSeconds(section.GetValue("LeaseSeconds", 60)))
        {
            ReminderPoll = TimeSpan.FromMilliseconds(section.GetValue("ReminderPollMs", 60_000)),
        };
    }

    /// <summary>Capped exponential backoff after the <paramref name="failures"/>-th failed send.</summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 20);
        return TimeSpan.FromMilliseconds(Math.Min(RetryMax.TotalMilliseconds, RetryBase.TotalMilliseconds * Math.Pow(2, exponent)));
    }
}
