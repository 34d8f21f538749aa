using Permits.Contracts.Intake;
using Permits.Contracts.Licensing;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// Opens a review case in the county's queue (with the licence a request concerns and how its applicant matched the
/// holder); the 5-working-day acceptance limit runs from the day after receipt. A 变更 filed more than
/// <see cref="ChangeFilingDays"/> days after the change is accepted all the same, and marked late on the case.
/// </summary>
public sealed class ApplicationSubmittedConsumer(
    ServiceDatabase<ReviewModule> database,
    LegalClock clock,
    ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<ReviewModule, ApplicationSubmitted>(database, logger)
{
    /// <summary>DOMAIN: a 变更 is applied for within 30 days of the change.</summary>
    public const int ChangeFilingDays = 30;

    private const string InsertSql = """
        INSERT INTO review_cases (
            id, application_id, application_number, county_code, request_type, holder_type, business_name, credit_code,
            responsible_person, premises_address, floor_area, lease_end_date, stage, received_at, due_by, due_provisional,
            version, licence_number, holder_match, step, changed_on, filed_late)
        SELECT @Id, @ApplicationId, @ApplicationNumber, @CountyCode, @RequestType, @HolderType, @BusinessName, @CreditCode,
               @ResponsiblePerson, @PremisesAddress, @FloorArea, @LeaseEndDate, @Stage, @ReceivedAt, @DueBy, @DueProvisional, 1,
               @LicenceNumber, @HolderMatch, @Step, @ChangedOn, @FiledLate
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
            message.ChangedOn,
            FiledLate = FiledLate(message) ? 1 : 0,
        });
        if (inserted == 1)
        {
            await CaseClock.SaveAsync(session, clock, caseId, message.CountyCode, started, message.SubmittedAt);
        }
    }

    /// <summary>A 变更 received (China date) more than 30 days after the day of the change.</summary>
    public static bool FiledLate(ApplicationSubmitted message) =>
        message.RequestType == RequestTypes.Change && message.ChangedOn is { } changed
        && ChinaTime.DateOf(message.SubmittedAt) > changed.AddDays(ChangeFilingDays);
}
