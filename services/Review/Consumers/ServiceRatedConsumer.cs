using Permits.Contracts.Intake;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// 好差评: a 差评 (不满意 or 非常不满意) must be followed up and rectified, so it waits on the head's deadline board. Better
/// ratings are not kept here. The follow-up is due within the county's working days (<see cref="LegalClock.RatingFollowUp"/>).
/// </summary>
public sealed class ServiceRatedConsumer(
    ServiceDatabase<ReviewModule> database, CountyDirectory counties, LegalClock clock, ILogger<ServiceRatedConsumer> logger)
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
        await session.ExecuteAsync(InsertSql, new
        {
            message.ApplicationId, message.ApplicationNumber, message.CountyCode, message.Level, Comment = comment, message.RatedAt, DueBy = dueBy,
        });
    }
}
