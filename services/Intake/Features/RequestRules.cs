using System.Text.RegularExpressions;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Domain;

namespace Permits.Intake.Features;

/// <summary>
/// The rules of the requests on a licence, with their configured limits: the licence held (延续 only inside its
/// window), the 停业 period, the 变更 items. Used by the form check and told to the form (GetFormSpec).
/// </summary>
public sealed partial class RequestRules(IConfiguration configuration)
{
    /// <summary>DOMAIN: a renewal (延续) must be applied for at least this many days before the licence expires.</summary>
    public int RenewalMinDaysBeforeExpiry => configuration.GetValue("Intake:Renewal:MinDaysBeforeExpiry", 30);

    /// <summary>DOMAIN: 停业 is applied for at least 7 days before it starts, and lasts at most a year.</summary>
    public int SuspendMinDaysBeforeStart => configuration.GetValue("Intake:Suspend:MinDaysBeforeStart", 7);

    /// <summary>The longest a one-year suspension can be, in days (a year that holds 29 February), for the form.</summary>
    public const int SuspendMaxDays = 366;

    /// <summary>
    /// The last day of a 停业 of at most one calendar year from <paramref name="first"/>: the day before its anniversary
    /// (2027-03-01 → 2028-02-29; from a 29 February, the last day of the next February).
    /// </summary>
    public static DateOnly LastSuspensionDay(DateOnly first) =>
        (first is { Month: 2, Day: 29 } ? new DateOnly(first.Year + 1, 3, 1) : first.AddYears(1)).AddDays(-1);

    /// <summary>
    /// The licence held now (every type but 新办 by default); 延续 only inside the renewal window
    /// (<c>Intake:Renewal:MinDaysBeforeExpiry</c>).
    /// </summary>
    public (string? Number, DateOnly? ValidTo) Licence(
        SubmitApplicationRequest r, RequestType type, IReadOnlyDictionary<string, FieldRequirement> spec, DateOnly today, FieldErrors errors)
    {
        string? number = null;
        if (spec[FormFields.LicenceNumber] != FieldRequirement.NotAsked)
        {
            var given = r.LicenceNumber.Trim();
            if (given.Length == 0 && spec[FormFields.LicenceNumber] == FieldRequirement.Required)
            {
                errors.Add("licence_number", "请填写现持有的烟草专卖零售许可证号（12 位数字）");
            }
            else if (given.Length > 0 && !LicenceNumber().IsMatch(given))
            {
                errors.Add("licence_number", "许可证号有误：应为 12 位数字，见许可证正本");
            }
            else if (given.Length > 0)
            {
                number = given;
            }
        }

        var required = spec[FormFields.LicenceValidTo] == FieldRequirement.Required;
        var text = spec[FormFields.LicenceValidTo] == FieldRequirement.NotAsked ? "" : r.LicenceValidTo.Trim();
        if (text.Length == 0 && !required)
        {
            return (number, null);
        }

        if (!ChinaTime.TryParseDate(text, out var validTo))
        {
            errors.Add("licence_valid_to", "请填写许可证有效期截止日，格式如 2027-06-30");
            return (number, null);
        }

        if (validTo > today.AddYears(5))
        {
            // DOMAIN: a licence is valid for at most 5 years from issue.
            errors.Add("licence_valid_to", "许可证有效期最长 5 年，该截止日有误，请对照许可证核对");
            return (number, null);
        }

        if (type != RequestType.Renewal)
        {
            return (number, validTo);
        }

        var latest = validTo.AddDays(-RenewalMinDaysBeforeExpiry);
        if (validTo < today)
        {
            errors.Add("licence_valid_to", $"许可证已于 {validTo:yyyy-MM-dd} 到期，不能再申请延续，请申请新办");
        }
        else if (today > latest)
        {
            errors.Add("licence_valid_to",
                $"延续须在许可证有效期届满 {RenewalMinDaysBeforeExpiry} 日前提出：您的许可证 {validTo:yyyy-MM-dd} 到期，最迟应于 {latest:yyyy-MM-dd} 申请。请申请新办");
        }

        return (number, validTo);
    }

    /// <summary>
    /// 停业: the period, starting at least <c>Intake:Suspend:MinDaysBeforeStart</c> (7) days after the application and
    /// lasting at most one calendar year (<see cref="LastSuspensionDay"/>).
    /// </summary>
    public (DateOnly? From, DateOnly? Until) Suspension(
        SubmitApplicationRequest r, RequestType type, IReadOnlyDictionary<string, FieldRequirement> spec, DateOnly today, FieldErrors errors)
    {
        DateOnly? Date(string field, string value, string missing, string example)
        {
            var text = spec[field] == FieldRequirement.NotAsked ? "" : value.Trim();
            if (text.Length == 0)
            {
                if (spec[field] == FieldRequirement.Required)
                {
                    errors.Add(field, missing);
                }

                return null;
            }

            if (ChinaTime.TryParseDate(text, out var date))
            {
                return date;
            }

            errors.Add(field, $"日期有误，格式如 {example}");
            return null;
        }

        var from = Date(FormFields.SuspendFrom, r.SuspendFrom, "请填写停业起始日", ChinaTime.Text(today.AddDays(SuspendMinDaysBeforeStart)));
        var until = Date(FormFields.SuspendUntil, r.SuspendUntil, "请填写停业截止日", ChinaTime.Text(today.AddMonths(6)));
        if (type == RequestType.Suspend && from is { } start && start < today.AddDays(SuspendMinDaysBeforeStart))
        {
            errors.Add(FormFields.SuspendFrom,
                $"停业须提前 {SuspendMinDaysBeforeStart} 日申请：停业起始日最早为 {today.AddDays(SuspendMinDaysBeforeStart):yyyy-MM-dd}");
            from = null;
        }

        if (from is { } first && until is { } last)
        {
            if (last < first)
            {
                errors.Add(FormFields.SuspendUntil, "停业截止日不能早于起始日");
            }
            else if (last > LastSuspensionDay(first))
            {
                errors.Add(FormFields.SuspendUntil,
                    $"停业期限最长一年：自 {first:yyyy-MM-dd} 起停业，截止日最迟为 {LastSuspensionDay(first):yyyy-MM-dd}");
            }
        }

        return (from, until);
    }

    /// <summary>变更: what changed, each item once; at least one when the form requires it.</summary>
    public static List<ChangeItem> ChangeItems(
        SubmitApplicationRequest r, IReadOnlyDictionary<string, FieldRequirement> spec, FieldErrors errors)
    {
        if (spec[FormFields.ChangeItems] == FieldRequirement.NotAsked)
        {
            return [];
        }

        if (r.ChangeItems.Any(c => c == ChangeItem.Unspecified || !Enum.IsDefined(c)))
        {
            errors.Add(FormFields.ChangeItems, "变更事项有误，请从所列事项中选择");
            return [];
        }

        var items = r.ChangeItems.Distinct().Order().ToList();
        if (items.Count == 0 && spec[FormFields.ChangeItems] == FieldRequirement.Required)
        {
            errors.Add(FormFields.ChangeItems, "请选择变更事项：企业名称、负责人、经营场所地址名称或其他（可多选）");
        }

        return items;
    }

    /// <summary>
    /// 变更: the day the change took effect — not in the future. How late the request comes is not refused here (the
    /// law's 30 days are for the holder to keep, the bureau still decides): Review marks it.
    /// </summary>
    public static DateOnly? ChangedOn(SubmitApplicationRequest r, IReadOnlyDictionary<string, FieldRequirement> spec, DateOnly today, FieldErrors errors)
    {
        var text = spec[FormFields.ChangedOn] == FieldRequirement.NotAsked ? "" : r.ChangedOn.Trim();
        if (text.Length == 0)
        {
            if (spec[FormFields.ChangedOn] == FieldRequirement.Required)
            {
                errors.Add(FormFields.ChangedOn, "请填写变更发生日期（如新营业执照的核准日期）");
            }

            return null;
        }

        if (!ChinaTime.TryParseDate(text, out var day))
        {
            errors.Add(FormFields.ChangedOn, $"日期有误，格式如 {ChinaTime.Text(today)}");
            return null;
        }

        if (day > today)
        {
            errors.Add(FormFields.ChangedOn, "变更发生日期不能晚于今天：变更发生后再申请");
            return null;
        }

        return day;
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex LicenceNumber();
}
