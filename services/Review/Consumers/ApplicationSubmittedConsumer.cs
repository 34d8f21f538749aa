using Permits.Contracts.Intake;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>Opens a review case in the county's queue (with the licence a request concerns and how its applicant matched the holder); the 5-working-day acceptance limit runs from the day after receipt.</summary>
public sealed class ApplicationSubmittedConsumer(
    ServiceDatabase<ReviewModule> database,
    LegalClock clock,
    ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<ReviewModule, ApplicationSubmitted>(database, logger)
{
    private const string InsertSql = """
        INSERT INTO review_cases (
            id, application_id, application_number, county_code, request_type, holder_type, business_name, credit_code,
            responsible_person, premises_address, floor_area, lease_end_date, stage, received_at, due_by, due_provisional,
            version, licence_number, holder_match, step)
        SELECT @Id, @ApplicationId, @ApplicationNumber, @CountyCode, @RequestType, @HolderType, @BusinessName, @CreditCode,
               @ResponsiblePerson, @PremisesAddress, @FloorArea, @LeaseEndDate, @Stage, @ReceivedAt, @DueBy, @DueProvisional, 1,
               @LicenceNumber, @HolderMatch, @Step
        WHERE NOT EXISTS (SELECT 1 FROM review_cases WHERE application_id = @ApplicationId)
        """;

    protected override async Task HandleAsync(ApplicationSubmitted message, DbSession session, CancellationToken cancellationToken)
    {
        var started = clock.Start(ChinaTime.DateOf(message.SubmittedAt));
        var caseId = DeterministicGuid.Create(message.ApplicationId, "review-case");
        var inserted = await session.ExecuteAsync(InsertSql, new
        {
            Id = caseId,
            message.ApplicationId,
            message.ApplicationNumber,
            message.CountyCode,
            message.RequestType,
            message.HolderType,
            message.BusinessName,
            message.CreditCode,
            message.ResponsiblePerson,
            message.PremisesAddress,
            message.FloorArea,
            message.LeaseEndDate,
            Stage = CaseStage.AwaitingAcceptance,
            Step = CaseStep.Acceptance,
            ReceivedAt = message.SubmittedAt,
            DueBy = started.DueBy,
            DueProvisional = started.Provisional ? 1 : 0,
            LicenceNumber = string.IsNullOrWhiteSpace(message.LicenceNumber) ? null : message.LicenceNumber.Trim(),
            message.HolderMatch,
        });
        if (inserted == 1)
        {
            await CaseClock.SaveAsync(session, clock, caseId, message.CountyCode, started, message.SubmittedAt);
        }
    }
}
