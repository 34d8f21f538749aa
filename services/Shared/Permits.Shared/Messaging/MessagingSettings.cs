using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Permits.Shared.Messaging;

/// <summary>
/// How the outbox relay claims rows and how long outbox and inbox rows are kept. Configuration (section
/// <c>Messaging</c>): <c>Outbox:BatchSize</c> (100), <c>Outbox:LeaseSeconds</c> (60), <c>Outbox:PublishTimeoutSeconds</c> (30),
/// <c>Outbox:RetentionDays</c> (7), <c>Inbox:RetentionDays</c> (30), <c>Pruning:IntervalMinutes</c> (10), <c>Pruning:BatchSize</c> (1000).
/// </summary>
/// <param name="Lease">
/// How long a claimed batch belongs to the replica that claimed it. It must comfortably exceed the time a batch takes to
/// publish (well under a second while the broker is up): a replica that dies holding a claim delays those rows by at
/// most this long, and a replica still publishing when it runs out may see another one publish the same rows again
/// (harmless: the inboxes drop the second copy).
/// </param>
/// <param name="InboxRetention">
/// How long a handled message id is remembered. A message can come back after it was handled: the broker redelivers
/// one whose acknowledgement was lost (seconds), a relay that died between publishing and marking the row sent
/// publishes it again once its lease ends (a minute), an operator moves a consumer's <c>_error</c> queue back after
/// fixing a fault (days), and a producer's database restored from a backup publishes again every row sent after the
/// backup was taken (as old as the backup). The inbox must outlive all of these, or the effect runs twice; 30 days
/// covers the replay of an error queue and a restore from the last monthly backup. Sent outbox rows are kept only as a
/// trace for operators, so their retention can be much shorter.
/// </param>
public sealed record MessagingSettings(
    int BatchSize,
    TimeSpan Lease,
    TimeSpan OutboxRetention,
    TimeSpan InboxRetention,
    TimeSpan PruneInterval,
    int PruneBatchSize)
{
    /// <summary>
    /// How long a relay waits for the broker to confirm one publish before it counts it as failed and tries the row again
    /// (<c>Outbox:PublishTimeoutSeconds</c>, 30). A confirmation normally comes within milliseconds; RabbitMQ.Client 7.2
    /// can leave a publish waiting for ever when its channel closes under it (a broker restart, rabbitmq-dotnet-client
    /// #1930), and without a bound that one publish would hold every later message of the service.
    /// </summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static MessagingSettings Default { get; } = new(
        100, TimeSpan.FromSeconds(60), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromMinutes(10), 1000);

    public static MessagingSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Messaging");
        var settings = new MessagingSettings(
            section.GetValue("Outbox:BatchSize", Default.BatchSize),
            TimeSpan.FromSeconds(section.GetValue("Outbox:LeaseSeconds", Default.Lease.TotalSeconds)),
            TimeSpan.FromDays(section.GetValue("Outbox:RetentionDays", Default.OutboxRetention.TotalDays)),
            TimeSpan.FromDays(section.GetValue("Inbox:RetentionDays", Default.InboxRetention.TotalDays)),
            TimeSpan.FromMinutes(section.GetValue("Pruning:IntervalMinutes", Default.PruneInterval.TotalMinutes)),
            section.GetValue("Pruning:BatchSize", Default.PruneBatchSize))
        {
            PublishTimeout = TimeSpan.FromSeconds(section.GetValue("Outbox:PublishTimeoutSeconds", Default.PublishTimeout.TotalSeconds)),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Refuses settings that would publish nothing, or forget handled messages while they may still come back.</summary>
    public void Validate()
    {
        Require(BatchSize > 0 && PruneBatchSize > 0, "Messaging:Outbox:BatchSize and Messaging:Pruning:BatchSize must be positive");
        Require(Lease > TimeSpan.Zero && PruneInterval > TimeSpan.Zero && PublishTimeout > TimeSpan.Zero,
            "Messaging:Outbox:LeaseSeconds, Messaging:Outbox:PublishTimeoutSeconds and Messaging:Pruning:IntervalMinutes must be positive");
        Require(OutboxRetention > TimeSpan.Zero, "Messaging:Outbox:RetentionDays must be positive");
        Require(InboxRetention >= TimeSpan.FromDays(1),
            string.Create(CultureInfo.InvariantCulture,
                $"Messaging:Inbox:RetentionDays is {InboxRetention.TotalDays}: an inbox kept less than a day forgets messages a broker or an operator may still redeliver"));
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message + ".");
        }
    }
}
