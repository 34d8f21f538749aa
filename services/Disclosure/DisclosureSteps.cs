using Grpc.Core;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Disclosure;

/// <summary>
/// What the bureau's disclosure clerk (政务公开, role disclosure-clerk) does: the steps at the request desk and on the
/// annual report, each an <see cref="OfficerStep"/> decided by <see cref="OfficerGuard"/>, in the clerk's own county
/// only. Who they are and their county come from the access token (<see cref="Officer"/>).
/// </summary>
public static class DisclosureSteps
{
    public static readonly IReadOnlyList<string> ClerkRole = [PermitsRoles.DisclosureClerk];

    /// <summary>How refusals name a request: 该申请不属于本县（市、区）局….</summary>
    public const string RequestNoun = "该申请";

    /// <summary>The desk's queue, a request's page and the year's figures.</summary>
    public static readonly OfficerStep ViewDesk = new("view-requests", "查看依申请公开办件", ClerkRole);

    public static readonly OfficerStep DraftReport = new("report-draft", "编制年度报告", ClerkRole);

    public static readonly OfficerStep PublishReport = new("report-publish", "发布年度报告", ClerkRole);

    /// <summary>A step on nothing but the officer's own county's desk: only the role counts.</summary>
    public static Officer Require(this Officer officer, OfficerStep step)
    {
        if (OfficerGuard.Decide(officer, step, officer.CountyCode, RequestNoun) is { Allowed: false } verdict)
        {
            throw Denied(verdict.Reason);
        }

        return officer;
    }

    /// <summary>
    /// The officer acting on <paramref name="countyCode"/>'s annual report: a clerk of that county only
    /// (PERMISSION_DENIED: only their own county's report may be drafted and published).
    /// </summary>
    public static Officer ForReportOf(this Officer officer, OfficerStep step, string countyCode)
    {
        var county = countyCode.Trim();
        var verdict = OfficerGuard.Decide(officer, step, county, "该年度报告");
        if (!verdict.Allowed)
        {
            throw Denied(officer.HasRole(PermitsRoles.DisclosureClerk) && !officer.ActsIn(county)
                ? $"只能编制和发布本县（{officer.CountyCode}）的年度报告，不能操作 {county}"
                : verdict.Reason);
        }

        return officer;
    }

    /// <summary>Who acted, as records keep it: 张三（o-hy-pub）, at most 100 characters.</summary>
    public static string RecordedName(this Officer officer) => officer.Label.Length <= 100 ? officer.Label : officer.Label[..100];

    private static RpcException Denied(string reason) => new(new Status(StatusCode.PermissionDenied, reason));
}
