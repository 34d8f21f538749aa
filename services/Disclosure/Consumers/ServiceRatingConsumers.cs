using Permits.Contracts.Intake;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Disclosure.Consumers;

/// <summary>
/// 好差评 for the annual report (<see cref="Reports.ServiceRatingFigures"/>): one row per rated application in
/// <c>disclosure_service_ratings</c>, filled by whichever of its events arrives first and completed by the others —
/// they come from Intake's and Review's outboxes in any order. Keeps no comment and nothing about the rater.
/// </summary>
public abstract class ServiceRatingConsumer<TMessage>(ServiceDatabase<DisclosureModule> database, ILogger logger)
    : InboxConsumer<DisclosureModule, TMessage>(database, logger)
    where TMessage : class
{
    /// <summary>A column left null here keeps what an earlier event stored.</summary>
    private const string UpdateSql = """
        UPDATE disclosure_service_ratings
        SET level = COALESCE(@Level, level), rated_at = COALESCE(@RatedAt, rated_at), opened_at = COALESCE(@OpenedAt, opened_at),
            due_by = COALESCE(@DueBy, due_by), followed_up_at = COALESCE(@FollowedUpAt, followed_up_at)
        WHERE application_id = @ApplicationId
        """;

    private const string InsertSql = """
        INSERT INTO disclosure_service_ratings
            (application_id, application_number, county_code, level, rated_at, opened_at, due_by, followed_up_at)
        VALUES (@ApplicationId, @ApplicationNumber, @CountyCode, @Level, @RatedAt, @OpenedAt, @DueBy, @FollowedUpAt)
        """;

    protected abstract Rating Of(TMessage message);

    protected override async Task HandleAsync(TMessage message, DbSession session, CancellationToken cancellationToken)
    {
        // Two events of one application at the same moment: the second insert fails on the key, and its retry updates.
        var rating = Of(message);
        if (await session.ExecuteAsync(UpdateSql, rating) == 0)
        {
            await session.ExecuteAsync(InsertSql, rating);
        }
    }

    /// <summary>What one event says about a rating; null where it says nothing.</summary>
    protected sealed record Rating(
        Guid ApplicationId,
        string ApplicationNumber,
        string CountyCode,
        int? Level = null,
        DateTimeOffset? RatedAt = null,
        DateTimeOffset? OpenedAt = null,
        DateOnly? DueBy = null,
        DateTimeOffset? FollowedUpAt = null);
}

/// <summary>Every rating, for the year's totals by level.</summary>
public sealed class ServiceRatedConsumer(ServiceDatabase<DisclosureModule> database, ILogger<ServiceRatedConsumer> logger)
    : ServiceRatingConsumer<ServiceRated>(database, logger)
{
    protected override Rating Of(ServiceRated message) =>
        new(message.ApplicationId, message.ApplicationNumber, message.CountyCode, message.Level, message.RatedAt);
}

/// <summary>A 差评's follow-up opened, with the day Review's legal clock set for it.</summary>
public sealed class RatingFollowUpOpenedConsumer(ServiceDatabase<DisclosureModule> database, ILogger<RatingFollowUpOpenedConsumer> logger)
    : ServiceRatingConsumer<RatingFollowUpOpened>(database, logger)
{
    protected override Rating Of(RatingFollowUpOpened message) =>
        new(message.ApplicationId, message.ApplicationNumber, message.CountyCode, message.Level, message.RatedAt, message.OpenedAt, message.DueBy);
}

/// <summary>A 差评 followed up; the rectification itself is the rater's business, not the report's.</summary>
public sealed class RatingFollowedUpConsumer(ServiceDatabase<DisclosureModule> database, ILogger<RatingFollowedUpConsumer> logger)
    : ServiceRatingConsumer<RatingFollowedUp>(database, logger)
{
    protected override Rating Of(RatingFollowedUp message) =>
        new(message.ApplicationId, message.ApplicationNumber, message.CountyCode, FollowedUpAt: message.ClosedAt);
}
