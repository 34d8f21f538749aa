using Grpc.Core;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Intake.Features;

/// <summary>
/// 补正: the applicant answers a correction notice with the corrected form, checked as a first submission is
/// (<see cref="ApplicationFormValidator"/>); the county, the request type and the form number stay the application's.
/// The open correction items are resolved and the deadline clock resumes. Another's application is NOT_FOUND; an
/// application with nothing to correct is FAILED_PRECONDITION and changes nothing.
/// </summary>
public sealed class ResubmitApplication(
    ServiceDatabase<IntakeModule> database,
    ApplicationFormValidator validator,
    GetApplication get,
    ApplicantDeadlines deadlines,
    TimeProvider time)
{
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

    public async Task<Application> HandleAsync(ResubmitApplicationRequest request, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            var row = await OwnedApplication.LoadAsync(session, request.ApplicationId, owner);
            var given = (request.Form ?? new SubmitApplicationRequest()).Clone();
            // The county, the request type and the form number stay those of the application.
            given.ClientRequestId = row.ClientRequestId;
            given.CountyCode = row.CountyCode;
            given.RequestType = RequestTypes.Proto(row.RequestType);
            // A double click or a retry of the resubmission just made: answered as the first one was, nothing changes.
            // Checked against the county's form as in force now, as the Portal draws it (read once, in this transaction).
            var form = await validator.FormInForceAsync(given, session);
            var repeat = row.Status == ApplicationStatus.Resubmitted && IsRepeat(given, form, row.FormJson);
            if (!repeat && row.Status != ApplicationStatus.CorrectionRequested)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"当前状态为“{ApplicationStatus.Label(row.Status)}”，没有需要补正的内容"));
            }

            if (!repeat)
            {
                await ApplyResubmissionAsync(session, row, validator.Validate(given, form), now, cancellationToken);
            }
        }

        return await get.HandleAsync(new GetApplicationRequest { ApplicationId = request.ApplicationId }, owner, cancellationToken);
    }

    private async Task ApplyResubmissionAsync(DbSession session, OwnedApplication row, ValidForm form, DateTimeOffset now, CancellationToken cancellationToken)
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
    private bool IsRepeat(SubmitApplicationRequest given, IReadOnlyDictionary<string, FieldRequirement> form, string? stored)
    {
        try
        {
            return stored is not null && FormJson.Write(validator.Validate(given, form).Kept) == stored;
        }
        catch (RpcException)
        {
            return false;
        }
    }
}
