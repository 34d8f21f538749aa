using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>延续: the licence is valid for longer, issued as a new version of the same number.</summary>
public static class RenewLicence
{
    /// <summary>An officer's 延续: the new last day, at most five years from today.</summary>
    public static LifecyclePlan Requested(RenewCertificateRequest request, StepInput input)
    {
        if (!ChinaTime.TryParseDate(request.ValidTo.Trim(), out var validTo))
        {
            input.Errors.Add("valid_to", "延续后的有效期至应为日期，如 2031-06-30");
        }
        else if (validTo > input.Today.AddYears(5).AddDays(-1))
        {
            input.Errors.Add("valid_to", "有效期自延续之日起最长 5 年");
        }

        return Plan(validTo, null);
    }

    /// <summary>延续 on approval: five years from the approval day at most, never beyond the lease.</summary>
    public static LifecyclePlan Approved(LicenceApproved approval)
    {
        var validTo = ChinaTime.DateOf(approval.ApprovedAt).AddYears(5).AddDays(-1);
        if (approval.LeaseEndDate is { } leaseEnd && leaseEnd < validTo)
        {
            validTo = leaseEnd;
        }

        return Plan(validTo, LifecycleSteps.Decision(approval.DocumentNumber));
    }

    private static LifecyclePlan Plan(DateOnly validTo, string? reason) => new(
        LifecycleSteps.Renew,
        row => LifecycleSteps.RequireValid(row) ?? (validTo <= row.ValidTo ? "延续后的有效期应晚于当前有效期" : null),
        (row, now) => LifecycleSteps.NextVersion(row, now) with { ValidTo = validTo },
        row => new StepRecord(
            LicenceHistoryRecords.Renewed, CertificateDisclosureKinds.Renewed, reason ?? $"有效期延至 {ChinaTime.Text(validTo)}",
            $"延续烟草专卖零售许可证 {row.LicenceNumber}，有效期至 {ChinaTime.Text(row.ValidTo)}", LicensingDisclosure.InForce),
        (session, row, cause, now) => session.PublishAsync(new CertificateVersionIssued(
            row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.ElicenceId!, row.Version, RequestTypes.Renewal,
            row.HolderName, row.ValidFrom, row.ValidTo, cause.OfficerId, now)
        {
            RequestApplicationId = cause.RequestApplicationId,
        }));
}
