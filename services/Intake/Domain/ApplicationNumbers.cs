using System.Globalization;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Intake.Domain;

/// <summary>
/// 申请编号: the county code, the China day of submission and that day's serial in the county, e.g.
/// 330424-20270301-00001. The serial is drawn in the submission's own transaction, so a rolled-back submission leaves
/// no number used.
/// </summary>
public static class ApplicationNumbers
{
    public static async Task<string> NextAsync(DbSession session, County county, DateTimeOffset submittedAt)
    {
        var day = ChinaTime.InChina(submittedAt).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var serial = await Counters.NextAsync(session, $"application:{county.Code}:{day}");
        return $"{county.Code}-{day}-{serial:D5}";
    }
}
