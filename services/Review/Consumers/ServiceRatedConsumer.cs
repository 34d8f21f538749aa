using Permits.Contracts.Intake;
using Permits.Contracts.Review;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// 好差评: a 差评 (不满意 or 非常不满意) must be followed up and rectified, so it waits on the head's deadline board. Better
/// ratings are not kept here. The follow-up is due within the county's working days (<see cref="LegalClock.RatingFollowUp"/>);
/// the item opened is announced with that due day (<see cref="RatingFollowUpOpened"/>) so the reports count the rule's
/// outcome without counting the rule again.
/// </summary>
public sealed class ServiceRatedConsumer(
    ServiceDatabase<ReviewModule> database, CountyDirectory counties, LegalClock clock, TimeProvider time,
    ILogger<ServiceRatedConsumer> logger)
    : InboxConsumer<ReviewModule, ServiceRated>(database, logger)
{
    /// <summary>不满意 (4) and 非常不满意 (5).</summary>
    public const int PoorFrom = 4;

    private const string InsertSql = """
        INSERT INTO review_poor_ratings (application_id, application_number, county_code, level, comment, rated_at, due_by)
        SELECT @ApplicationId, @ApplicationNumber, @CountyCode, @Level, @Comment, @RatedAt, @DueBy
        WHERE NOT EXISTS (SELECT 1 FROM review_poor_ratings WHERE application_id = @ApplicationId)
        """;

    protected override async Task HandleAsync(ServiceRated message, DbSession session, CancellationToken cancellationToken)
    {
        if (!message.NeedsFollowUp && message.Level < PoorFrom)
        {
            return;
        }

        var comment = message.Comment is { Length: > 2000 } text ? text[..2000] : message.Comment;
        DateOnly? dueBy = counties.TryGet(message.CountyCode, out var county)
            ? clock.RatingFollowUp(ChinaTime.DateOf(message.RatedAt), county).Date
            : null;
        var opened = await session.ExecuteAsync(InsertSql, new
        {
            message.ApplicationId, message.ApplicationNumber, message.CountyCode, message.Level, Comment = comment, message.RatedAt, DueBy = dueBy,
        });
        if (opened == 0)
        {
            return; // the same rating again (another message id): the item is open already and was announced then
        }

        await session.PublishAsync(
            new RatingFollowUpOpened(
                message.ApplicationId, message.ApplicationNumber, message.CountyCode, message.Level, message.RatedAt, dueBy, time.GetUtcNow()),
            DeterministicGuid.Create(message.ApplicationId, nameof(RatingFollowUpOpened)));
    }
}
