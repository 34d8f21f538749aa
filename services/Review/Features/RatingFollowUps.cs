using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// 好差评回访: a 差评 (kept by <see cref="Consumers.ServiceRatedConsumer"/> with its due day) stays open on the head's board
/// until the head records the contact made with the rater and the rectification (整改措施). Closing it tells the rater
/// (<see cref="RatingFollowedUp"/>, through the outbox) and counts on the board.
/// </summary>
public sealed class RatingFollowUps(ServiceDatabase<ReviewModule> database, StepRunner<ReviewModule> steps, CaseAction action, TimeProvider time)
{
    public const string Noun = "该差评";

    private const string NotFound = "未找到该差评";

    public const string Columns = """
        application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode, level AS Level,
        comment AS Comment, rated_at AS RatedAt, due_by AS DueBy, contacted_on AS ContactedOn, contact_method AS ContactMethod,
        rater_said AS RaterSaid, rectification AS Rectification, followed_up_at AS FollowedUpAt
        """;

    private const string LoadSql = $"SELECT {Columns} FROM review_poor_ratings WHERE application_id = @Id";

    private const string CountySql = "SELECT county_code FROM review_poor_ratings WHERE application_id = @Id";

    private const string CloseSql = """
        UPDATE review_poor_ratings
        SET contacted_on = @ContactedOn, contact_method = @ContactMethod, rater_said = @RaterSaid, rectification = @Rectification,
            followed_up_by = @OfficerId, followed_up_by_name = @OfficerName, followed_up_at = @Now
        WHERE application_id = @Id AND followed_up_at IS NULL
        """;

    public async Task<PoorRating> RecordAsync(RecordRatingFollowUpRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!Guid.TryParse(request.ApplicationId, out var id))
        {
            errors.Add("application_id", "请提供有效的申请 ID");
        }

        var today = time.Today();
        if (!ChinaTime.TryParseDate(request.ContactedOn, out var contactedOn))
        {
            errors.Add("contacted_on", "请填写联系评价人的日期（如 2026-03-02）");
        }
        else if (contactedOn > today)
        {
            errors.Add("contacted_on", "联系日期不能晚于今天");
        }

        var method = Required(errors, "contact_method", request.ContactMethod, 40, "请填写联系方式（如电话、上门，不超过 40 个字）");
        var said = Required(errors, "rater_said", request.RaterSaid, 1000, "请填写评价人反映的情况（不超过 1000 个字）");
        var rectification = Required(errors, "rectification", request.Rectification, 2000, "请填写整改措施（不超过 2000 个字）");

        var target = id == Guid.Empty ? null : Target(id);
        await steps.ThrowIfInvalidAsync(officer, ReviewSteps.FollowUpRating, target, errors, cancellationToken);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (await target!.CountyAsync(connection) is null)
            {
                // Role before existence: only a head learns that there is no such 差评.
                await action.EnsureAllowedAsync(officer, ReviewSteps.FollowUpRating, id.ToString(), officer.CountyCode);
                throw new RpcException(new Status(StatusCode.NotFound, NotFound));
            }
        }

        return await steps.RunAsync(officer, ReviewSteps.FollowUpRating, target, async (session, row) =>
        {
            StepRunner.Require(row.FollowedUpAt is null, "该差评已回访办结，不能重复登记");
            if (contactedOn < ChinaTime.DateOf(row.RatedAt))
            {
                new FieldErrors().Add("contacted_on", "联系日期不能早于评价日期").ThrowIfAny();
            }

            var now = time.GetUtcNow();
            StepRunner.EnsureUpdated(await session.ExecuteAsync(CloseSql, new
            {
                Id = id,
                ContactedOn = contactedOn,
                ContactMethod = method,
                RaterSaid = said,
                Rectification = rectification,
                OfficerId = officer.Id,
                OfficerName = officer.Name,
                Now = now,
            }));
            await session.PublishAsync(
                new RatingFollowedUp(id, row.ApplicationNumber, row.CountyCode, rectification, officer.Id, now),
                DeterministicGuid.Create(id, nameof(RatingFollowedUp)));
            var closed = await session.QuerySingleOrDefaultAsync<RatingRow>(LoadSql, new { Id = id }) ?? row;
            return new StepResult<PoorRating>(
                ToMessage(closed, today, 0), $"差评回访（{row.ApplicationNumber}）：{method}联系，整改措施：{rectification}");
        }, cancellationToken);
    }

    /// <summary>A 差评 as the board and the step answer it; <paramref name="waiting"/> is the working days it has waited.</summary>
    public static PoorRating ToMessage(RatingRow row, DateOnly today, int waiting)
    {
        var message = new PoorRating
        {
            ApplicationId = row.ApplicationId.ToString(),
            ApplicationNumber = row.ApplicationNumber,
            Level = row.Level >= 5 ? "非常不满意" : "不满意",
            Comment = row.Comment ?? "",
            RatedAt = Timestamp.FromDateTimeOffset(row.RatedAt),
            WaitingWorkingDays = waiting,
            DueBy = ChinaTime.Text(row.DueBy),
            Overdue = row.FollowedUpAt is null && row.DueBy < today,
            ContactedOn = ChinaTime.Text(row.ContactedOn),
            ContactMethod = row.ContactMethod ?? "",
            RaterSaid = row.RaterSaid ?? "",
            Rectification = row.Rectification ?? "",
        };
        if (row.FollowedUpAt is { } at)
        {
            message.FollowedUpAt = Timestamp.FromDateTimeOffset(at);
        }

        return message;
    }

    private static StepTarget<RatingRow> Target(Guid id) =>
        StepTarget<RatingRow>.Sql(id.ToString(), Noun, NotFound, LoadSql, CountySql, new { Id = id }, row => row.CountyCode);

    private static string Required(FieldErrors errors, string field, string text, int max, string message)
    {
        var value = text.Trim();
        if (value.Length == 0 || value.Length > max)
        {
            errors.Add(field, message);
        }

        return value;
    }

    /// <summary>One row of <c>review_poor_ratings</c>.</summary>
    public sealed class RatingRow
    {
        public Guid ApplicationId { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public long Level { get; init; }
        public string? Comment { get; init; }
        public DateTimeOffset RatedAt { get; init; }
        public DateOnly? DueBy { get; init; }
        public DateOnly? ContactedOn { get; init; }
        public string? ContactMethod { get; init; }
        public string? RaterSaid { get; init; }
        public string? Rectification { get; init; }
        public DateTimeOffset? FollowedUpAt { get; init; }
    }
}
