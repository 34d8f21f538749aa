using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Intake.Features;

/// <summary>
/// What the applicant does to their own application after submitting it: withdraw before a decision (撤回), answer a
/// correction notice (补正). Another's application is NOT_FOUND; a step that the status does not allow is
/// FAILED_PRECONDITION and changes nothing.
/// </summary>
public sealed class CaseActions(
    ServiceDatabase<IntakeModule> database,
    SubmitApplication submit,
    GetApplication get,
    CountyDirectory counties,
    ApplicantDeadlines deadlines,
    TimeProvider time)
{
    private const string OwnedSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode, status AS Status,
               client_request_id AS ClientRequestId, request_type AS RequestType, form_json AS FormJson
        FROM applications WHERE id = @Id AND owner_subject = @Owner
        """;

    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id AND status = @Expected";

    private const string ResubmitSql = """
        UPDATE applications SET business_name = @BusinessName, holder_type = @HolderType, credit_code = @CreditCode,
            responsible_person = @ResponsiblePerson, id_number = @IdNumber, premises_address = @PremisesAddress,
            floor_area = @FloorArea, premises_tenure = @PremisesTenure, lease_end_date = @LeaseEndDate,
            contact_phone = @ContactPhone, delivery_method = @DeliveryMethod, recipient_name = @RecipientName,
            recipient_phone = @RecipientPhone, delivery_address = @DeliveryAddress, form_json = @FormJson, status = @Status
        WHERE id = @Id AND status = @Expected
        """;

    private const string ResolveSql = """
        UPDATE application_corrections SET resolved_at = @At WHERE application_id = @Id AND resolved_at IS NULL
        """;

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
            var row = await OwnedAsync(session, request.ApplicationId, owner);
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
                $"申请人撤回{Permits.Contracts.Licensing.RequestTypes.DefaultMatter}申请",
                new Dictionary<string, string>
                {
                    ["事项名称"] = Permits.Contracts.Licensing.RequestTypes.DefaultMatter,
                    ["申请编号"] = row.ApplicationNumber,
                }));
            await session.CommitAsync(cancellationToken);
        }

        return await get.HandleAsync(new GetApplicationRequest { ApplicationId = request.ApplicationId }, owner, cancellationToken);
    }

    public async Task<Application> ResubmitAsync(ResubmitApplicationRequest request, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            var row = await OwnedAsync(session, request.ApplicationId, owner);
            var given = (request.Form ?? new SubmitApplicationRequest()).Clone();
            // The county, the request type and the form number stay those of the application.
            given.ClientRequestId = row.ClientRequestId;
            given.CountyCode = row.CountyCode;
            given.RequestType = RequestTypes.Parse(row.RequestType);
            // A double click or a retry of the resubmission just made: answered as the first one was, nothing changes.
            var repeat = row.Status == ApplicationStatus.Resubmitted && IsRepeat(given, row.FormJson);
            if (!repeat && row.Status != ApplicationStatus.CorrectionRequested)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"当前状态为“{ApplicationStatus.Label(row.Status)}”，没有需要补正的内容"));
            }

            if (!repeat)
            {
                await ApplyResubmissionAsync(session, row, submit.Validate(given), now, cancellationToken);
            }
        }

        return await get.HandleAsync(new GetApplicationRequest { ApplicationId = request.ApplicationId }, owner, cancellationToken);
    }

    private async Task ApplyResubmissionAsync(DbSession session, OwnedRow row, SubmitApplication.Form form, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var columns = form.Columns();
        columns.AddDynamicParams(new { row.Id, Status = ApplicationStatus.Resubmitted, Expected = ApplicationStatus.CorrectionRequested });
        var changed = await session.ExecuteAsync(ResubmitSql, columns);
        if (changed == 0)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "申请状态刚刚发生变化，请刷新后再试"));
        }

        await session.ExecuteAsync(ResolveSql, new { row.Id, At = now });
        await History.AddAsync(session, row.Id, ApplicationStatus.Resubmitted, now, "申请人已按补正告知补正材料");
        await deadlines.ResumeAsync(session, row.Id, now);
        await session.PublishAsync(new ApplicationResubmitted(row.Id, row.ApplicationNumber, row.CountyCode, now));
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>The same corrected form as the one already resubmitted (the stored form is what Validate keeps).</summary>
    private bool IsRepeat(SubmitApplicationRequest given, string? stored)
    {
        try
        {
            return stored is not null && FormJson.Write(submit.Validate(given).Kept) == stored;
        }
        catch (RpcException)
        {
            return false;
        }
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
            var row = await OwnedAsync(session, request.ApplicationId, owner);
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

    private static async Task<OwnedRow> OwnedAsync(DbSession session, string applicationId, string owner)
    {
        if (!Guid.TryParse(applicationId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        }

        return await session.QuerySingleOrDefaultAsync<OwnedRow>(OwnedSql, new { Id = id, Owner = owner })
               ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
    }

    private sealed class OwnedRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string Status { get; init; } = "";
        public string ClientRequestId { get; init; } = "";
        public string RequestType { get; init; } = "";
        public string? FormJson { get; init; }
    }
}
