using Permits.Contracts.Review.V1;

namespace Permits.Review.Tests;

/// <summary>Test officers: who travels in the request until calls carry sign-in tokens.</summary>
public static class Officers
{
    public const string Haiyan = "330424";
    public const string Jiashan = "330421";

    public static CaseActionRequest Act(string caseId, string role, string county = Haiyan, string note = "") => new()
    {
        CaseId = caseId,
        OfficerId = $"{role}-{county}",
        OfficerRole = role,
        OfficerCountyCode = county,
        OfficerName = "测试" + role,
        Note = note,
    };
}
