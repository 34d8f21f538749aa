using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Intake.Features;

/// <summary>
/// What the applicant does to their own application after submitting it, besides 补正 (<see cref="ResubmitApplication"/>):
/// withdraw before a decision (撤回), rate the service once it is concluded (好差评). Another's application is NOT_FOUND;
/// a step that the status does not allow is FAILED_PRECONDITION and changes nothing.
/// </summary>
public sealed class CaseActions(
    ServiceDatabase<IntakeModule> database,
    GetApplication get,
    CountyDirectory counties,
    ApplicantDeadlines deadlines,
    TimeProvider time)
{
    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id AND status = @Expected";

    public async Task<Application> WithdrawAsync(WithdrawApplicationRequest request, string owner, CancellationToken cancellationToken)
    {
        var reason = new string(request.Reason.Trim().Where(c => !char.IsControl(c)).ToArray());
        if (reason.Length > 200)
        {
            new FieldErrors().Add("reason", "撤回理由不能超过 200 个字").ThrowIfAny();
        }

        var now = time.GetUtcNow();
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            var row = await OwnedApplication.LoadAsync(session, request.ApplicationId, owner);
            if (!ApplicationStatus.CanWithdraw(row.Status))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"当前状态为“{ApplicationStatus.Label(row.Status)}”，已不能撤回"));
            }

            if (await session.ExecuteAsync(SetStatusSql, new { row.Id, Status = ApplicationStatus.Withdrawn, Expected = row.Status }) == 0)
            {
                throw new RpcException(new Status(StatusCode.Aborted, "申请状态刚刚发生变化，请刷新后再试"));
            }

            await deadlines.StopAsync(session, row.Id);
            await History.AddAsync(session, row.Id, ApplicationStatus.Withdrawn, now, reason.Length == 0 ? "申请人撤回申请" : $"申请人撤回申请：{reason}");
            await session.PublishAsync(new ApplicationWithdrawn(row.Id, row.ApplicationNumber, row.CountyCode, now));
            await session.DiscloseAsync(Disclosures.For(
                DisclosureKinds.ApplicationWithdrawn, row.Id, row.ApplicationNumber, counties.Get(row.CountyCode), now,
                $"申请人撤回{RequestTypes.Matter(row.RequestType)}申请",
                LicensingDisclosure.ForCase(row.ApplicationNumber, row.RequestType).RequestType(row.RequestType).Fields));
            await session.CommitAsync(cancellationToken);
        }

        return await get.HandleAsync(new GetApplicationRequest { ApplicationId = request.ApplicationId }, owner, cancellationToken);
    }

    private const string RatingExistsSql = "SELECT COUNT(*) FROM service_ratings WHERE application_id = @Id";

    private const string InsertRatingSql = """
        INSERT INTO service_ratings (id, application_id, owner_subject, level, comment, needs_follow_up, rated_at)
        VALUES (@Id, @ApplicationId, @Owner, @Level, @Comment, @NeedsFollowUp, @RatedAt)
        """;

    /// <summary>好差评: once per case, after it is concluded; 不满意 and 非常不满意 are flagged for follow-up.</summary>
    public async Task<Application> RateAsync(RateServiceRequest request, string owner, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Level == RatingLevel.Unspecified || !Enum.IsDefined(request.Level))
        {
            errors.Add("level", "请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意");
        }

        var comment = new string(request.Comment.Trim().Where(c => !char.IsControl(c) || c == '\n').ToArray());
        if (comment.Length > 500)
        {
            errors.Add("comment", "评价内容不能超过 500 个字");
        }

        errors.ThrowIfAny();
        var now = time.GetUtcNow();
        var needsFollowUp = request.Level is RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied;
        try
        {
            await using var session = await database.BeginAsync(cancellationToken);
            var row = await OwnedApplication.LoadAsync(session, request.ApplicationId, owner);
            if (!ApplicationStatus.Concluded(row.Status))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "办结后才能评价"));
            }

            if (await session.ExecuteScalarAsync<long>(RatingExistsSql, new { row.Id }) > 0)
            {
                throw new RpcException(new Status(StatusCode.AlreadyExists, "该申请已评价过，每件事项只能评价一次"));
            }

            await session.ExecuteAsync(InsertRatingSql, new
            {
                Id = Guid.NewGuid(),
                ApplicationId = row.Id,
                Owner = owner,
                Level = request.Level.ToString(),
                Comment = comment.Length == 0 ? null : comment,
                NeedsFollowUp = needsFollowUp,
                RatedAt = now,
            });
            await session.PublishAsync(new ServiceRated(
                row.Id, row.ApplicationNumber, row.CountyCode, (int)request.Level, needsFollowUp, comment.Length == 0 ? null : comment, now));
            await session.CommitAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // A concurrent second rating lost the race on the unique application id.
            throw new RpcException(new Status(StatusCode.AlreadyExists, "该申请已评价过，每件事项只能评价一次"));
        }

        return await get.HandleAsync(new GetApplicationRequest { ApplicationId = request.ApplicationId }, owner, cancellationToken);
    }
}
