using Permits.Shared.Data;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>A 停业 approved before its first day, waiting for that day (a licence_requests row).</summary>
public sealed class ScheduledSuspension
{
    public const string Columns = """
        application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode,
        licence_number AS LicenceNumber, suspend_from AS SuspendFrom, suspend_until AS SuspendUntil,
        approving_officer_id AS OfficerId, decision_document AS DecisionDocument
        """;

    public Guid ApplicationId { get; init; }

    public string ApplicationNumber { get; init; } = "";

    public string CountyCode { get; init; } = "";

    public string LicenceNumber { get; init; } = "";

    public DateOnly SuspendFrom { get; init; }

    public DateOnly? SuspendUntil { get; init; }

    public string? OfficerId { get; init; }

    public string? DecisionDocument { get; init; }
}

/// <summary>
/// A scheduled 停业 whose first day has come: the same step, event, history and disclosure record as an approval on the
/// day, at this time, in the name of the approving officer.
/// </summary>
public sealed class ScheduledSuspensions(LicenceLifecycle lifecycle)
{
    /// <summary>
    /// Inside the worker's transaction (which has already claimed the request row). A licence no longer valid meanwhile
    /// (revoked, or already suspended) is left as it is: returns false.
    /// </summary>
    public async Task<bool> ApplyAsync(DbSession session, ScheduledSuspension scheduled)
    {
        var plan = SuspendLicence.Approved(scheduled.DecisionDocument ?? "", scheduled.SuspendFrom, scheduled.SuspendUntil);
        var row = await CertificateRecords.LoadAsync(session, scheduled.LicenceNumber);
        if (row.CountyCode != scheduled.CountyCode || plan.Refusal(row) is not null)
        {
            return false;
        }

        await lifecycle.ApplyAsync(session, row, plan, new StepCause(scheduled.OfficerId ?? "system", scheduled.ApplicationId));
        return true;
    }
}
