using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Domain;

/// <summary>
/// Document numbers (文书号) such as 盐烟专许受〔2026〕第00012号: per county, per document kind, per year, gap-free.
/// </summary>
public static class DocumentNumbers
{
    public const string Acceptance = "许受";   // 受理通知书
    public const string Approval = "许准";     // 准予行政许可决定书
    public const string NotAccepted = "许不受"; // 不予受理决定书
    public const string Correction = "许补";   // 补正材料告知书
    public const string Denial = "许不准";     // 不予行政许可决定书
    public const string Extension = "许延";    // 延长审批期限告知书
    public const string Inspection = "许核";   // 实地核查记录
    public const string Opinion = "许审";      // 审核意见书

    public static async Task<string> NextAsync(DbSession session, County county, string kind, int year)
    {
        var serial = await Counters.NextAsync(session, $"document:{county.Code}:{kind}:{year}");
        return $"{county.DocumentPrefix}{kind}〔{year}〕第{serial:D5}号";
    }

    /// <summary>The next number of the year (China time) that <paramref name="now"/> falls in.</summary>
    public static Task<string> NextAsync(DbSession session, County county, string kind, DateTimeOffset now) =>
        NextAsync(session, county, kind, ChinaTime.DateOf(now).Year);
}
