using System.Globalization;
using Permits.Certificate.Domain;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Register;

/// <summary>
/// The licence register as counties' existing systems export it (许可证登记簿): one licence a row under these headers.
/// Import reads them (经度/纬度 optional, so the 合理布局 check can place the outlet); export writes all of them, so an
/// export imports again.
/// </summary>
public static class RegisterColumns
{
    public const string LicenceNumber = "许可证号";
    public const string HolderName = "企业名称/字号";
    public const string ResponsiblePerson = "负责人";
    public const string Identifier = "身份证号/统一社会信用代码";
    public const string PremisesAddress = "经营场所";
    public const string HolderType = "企业类型";
    public const string ValidFrom = "有效期自";
    public const string ValidTo = "有效期至";
    public const string Status = "状态";
    public const string Supplier = "供货单位";
    public const string Longitude = "经度";
    public const string Latitude = "纬度";

    public static readonly IReadOnlyList<string> Required =
        [LicenceNumber, HolderName, ResponsiblePerson, Identifier, PremisesAddress, HolderType, ValidFrom, ValidTo, Status, Supplier];

    /// <summary>Every column, in the order export writes them.</summary>
    public static readonly IReadOnlyList<string> All = [.. Required, Longitude, Latitude];

    /// <summary>企业类型 → holder type as stored (the licence number's 7th digit follows it, see <see cref="Domain.LicenceNumber"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string> HolderTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["个体工商户"] = "IndividualBusiness",
        ["企业"] = "Enterprise",
        ["企业及其他"] = "Enterprise",
    };

    /// <summary>The 状态 words a register uses → the stored status. 已过期 is stored valid: expiry follows from 有效期至.</summary>
    public static readonly IReadOnlyDictionary<string, string> Statuses = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["有效"] = CertificateStatus.Valid,
        ["已过期"] = CertificateStatus.Valid,
        ["停业"] = CertificateStatus.Suspended,
        ["歇业"] = CertificateStatus.Revoked,
        ["注销"] = CertificateStatus.Revoked,
    };

    /// <summary>The 状态 word export writes for a licence on <paramref name="today"/>.</summary>
    public static string StatusWord(CertificateRow row, DateOnly today) => row.Status switch
    {
        CertificateStatus.Suspended => "停业",
        CertificateStatus.Revoked => row.StatusReason is { } reason && reason.Contains("歇业", StringComparison.Ordinal) ? "歇业" : "注销",
        _ when row.ValidTo < today => "已过期",
        _ => "有效",
    };

    /// <summary>A 有效期 cell: yyyy-MM-dd, yyyy/M/d, yyyyMMdd, or a spreadsheet's date serial number.</summary>
    public static bool TryParseDate(string text, out DateOnly day)
    {
        text = text.Trim();
        if (ChinaTime.TryParseDate(text, out day)
            || DateOnly.TryParseExact(text, ["yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy.M.d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466)
        {
            day = DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial)));
            return true;
        }

        return false;
    }

    /// <summary>
    /// What export writes instead of a 身份证号: the register keeps only its digest (the number stays with Intake), so
    /// an exported individual business without a credit code carries this. Importing it back is accepted for a licence
    /// already in the register (its holder stays as recorded), refused for a new one.
    /// </summary>
    public const string IdWithheld = "（身份证号不导出）";

    public static string Number(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>One valid row of an imported register, as it will be stored.</summary>
public sealed record RegisterEntry(
    int Row,
    string LicenceNumber,
    string HolderName,
    string ResponsiblePerson,
    string? CreditCode,
    string? HolderIdDigest,
    string PremisesAddress,
    string HolderType,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    string Status,
    string? StatusReason,
    string? Supplier,
    double? Longitude,
    double? Latitude)
{
    /// <summary>The row carries <see cref="RegisterColumns.IdWithheld"/>: only a licence already in the register may.</summary>
    public bool IdentifierWithheld { get; init; }

    public int Serial => int.Parse(LicenceNumber.AsSpan(7), CultureInfo.InvariantCulture);

    /// <summary>Whether the register already holds this licence as the row says (re-importing it changes nothing).</summary>
    public bool SameAs(CertificateRow row) =>
        row.HolderName == HolderName && row.ResponsiblePerson == ResponsiblePerson && row.PremisesAddress == PremisesAddress
        && row.HolderType == HolderType && row.ValidFrom == ValidFrom && row.ValidTo == ValidTo && row.Status == Status
        && (CreditCode is null || Identifiers.SameIdentifier(row.CreditCode, CreditCode))
        && (HolderIdDigest is null || row.HolderIdDigest == HolderIdDigest);
}

/// <summary>
/// Reads and checks one data row against the caller's county: the licence number (12 digits, the county's code, the
/// holder-type digit matching 企业类型, a serial from 00001), the identifier's checksum (统一社会信用代码 GB 32100 or,
/// for an individual business, 身份证号 GB 11643), the validity (有效期至 after 有效期自, at most five years), the
/// 状态 word, and the coordinates when given. Every problem of the row is reported, in Chinese.
/// </summary>
public sealed class RegisterRowReader(IReadOnlyList<string> header, string countyCode, DateOnly today)
{
    private readonly Dictionary<string, int> _index = header
        .Select((name, i) => (Name: name.Trim().TrimStart('\uFEFF'), i))
        .Where(c => c.Name.Length > 0)
        .GroupBy(c => c.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);

    /// <summary>The required headers the file lacks.</summary>
    public IEnumerable<string> MissingColumns => RegisterColumns.Required.Where(c => !_index.ContainsKey(c));

    public (RegisterEntry? Entry, string LicenceNumber, List<string> Problems) Read(int rowNumber, IReadOnlyList<string> cells)
    {
        string Cell(string column) =>
            _index.TryGetValue(column, out var i) && i < cells.Count ? cells[i].Trim() : "";

        var problems = new List<string>();
        var number = Cell(RegisterColumns.LicenceNumber);
        var typeWord = Cell(RegisterColumns.HolderType);
        var holderType = RegisterColumns.HolderTypes.GetValueOrDefault(typeWord);
        if (holderType is null)
        {
            problems.Add(typeWord.Length == 0 ? "企业类型为空" : $"企业类型“{typeWord}”应为个体工商户或企业");
        }

        if (number.Length != 12 || !number.All(char.IsAsciiDigit))
        {
            problems.Add(number.Length == 0 ? "许可证号为空" : "许可证号应为 12 位数字");
        }
        else
        {
            if (number[..6] != countyCode)
            {
                problems.Add($"许可证号前 6 位 {number[..6]} 不是本县（市、区）的代码 {countyCode}");
            }

            if (number[6] is not ('1' or '2'))
            {
                problems.Add("许可证号第 7 位应为 1（个体工商户）或 2（企业）");
            }
            else if (holderType is not null && number[6] != LicenceNumber.HolderDigit(holderType))
            {
                problems.Add($"许可证号第 7 位 {number[6]} 与企业类型“{typeWord}”不符");
            }

            if (number[7..] == "00000")
            {
                problems.Add("许可证号流水号不能为 00000");
            }
        }

        var holderName = Text(Cell(RegisterColumns.HolderName), RegisterColumns.HolderName, 100, problems);
        var person = Text(Cell(RegisterColumns.ResponsiblePerson), RegisterColumns.ResponsiblePerson, 50, problems);
        var address = Text(Cell(RegisterColumns.PremisesAddress), RegisterColumns.PremisesAddress, 200, problems);
        var supplier = Cell(RegisterColumns.Supplier);
        if (supplier.Length > 100)
        {
            problems.Add("供货单位超过 100 字");
        }

        var withheld = Cell(RegisterColumns.Identifier) == RegisterColumns.IdWithheld;
        var (creditCode, idDigest) = withheld ? (null, null) : Identifier(Identifiers.Normalize(Cell(RegisterColumns.Identifier)), holderType, problems);
        var (validFrom, validTo) = Validity(Cell(RegisterColumns.ValidFrom), Cell(RegisterColumns.ValidTo), problems);
        var statusWord = Cell(RegisterColumns.Status);
        var status = RegisterColumns.Statuses.GetValueOrDefault(statusWord);
        if (status is null)
        {
            problems.Add(statusWord.Length == 0 ? "状态为空" : $"状态“{statusWord}”应为{string.Join("、", RegisterColumns.Statuses.Keys)}之一");
        }
        else if (statusWord == "已过期" && validTo >= today)
        {
            problems.Add("状态为已过期，但有效期至尚未到");
        }

        var (longitude, latitude) = Place(Cell(RegisterColumns.Longitude), Cell(RegisterColumns.Latitude), problems);
        if (problems.Count > 0)
        {
            return (null, number, problems);
        }

        var entry = new RegisterEntry(
            rowNumber, number, holderName, person, creditCode, idDigest, address, holderType!, validFrom, validTo, status!,
            status == CertificateStatus.Valid ? null : statusWord, supplier.Length == 0 ? null : supplier, longitude, latitude)
        {
            IdentifierWithheld = withheld,
        };
        return (entry, number, problems);
    }

    private static string Text(string value, string column, int maxLength, List<string> problems)
    {
        if (value.Length == 0)
        {
            problems.Add($"{column}为空");
        }
        else if (value.Length > maxLength)
        {
            problems.Add($"{column}超过 {maxLength} 字");
        }

        return value;
    }

    /// <summary>
    /// An enterprise is its 统一社会信用代码; an individual business either that or its 负责人's 身份证号 (kept as a
    /// digest). A 身份证号 can pass the credit code's check by chance (1 in 31), so for an individual business a valid
    /// 身份证号 is taken as one first: its credit codes begin 92, which is no province's code.
    /// </summary>
    private (string? CreditCode, string? IdDigest) Identifier(string value, string? holderType, List<string> problems)
    {
        if (value.Length == 0)
        {
            problems.Add("身份证号/统一社会信用代码为空");
            return (null, null);
        }

        var enterprise = holderType == "Enterprise";
        if (!enterprise && Identifiers.IsValidIdNumber(value, today))
        {
            return (null, Identifiers.HolderIdDigest(value));
        }

        if (Identifiers.IsValidCreditCode(value))
        {
            return (value, null);
        }

        problems.Add(enterprise && Identifiers.IsValidIdNumber(value, today)
            ? "企业应填写统一社会信用代码，不是身份证号"
            : value.Length == 18 ? "身份证号或统一社会信用代码校验不符" : "身份证号或统一社会信用代码应为 18 位");
        return (null, null);
    }

    private static (DateOnly From, DateOnly To) Validity(string fromText, string toText, List<string> problems)
    {
        var fromOk = RegisterColumns.TryParseDate(fromText, out var from);
        var toOk = RegisterColumns.TryParseDate(toText, out var to);
        if (!fromOk)
        {
            problems.Add(fromText.Length == 0 ? "有效期自为空" : $"有效期自“{fromText}”不是日期");
        }

        if (!toOk)
        {
            problems.Add(toText.Length == 0 ? "有效期至为空" : $"有效期至“{toText}”不是日期");
        }

        if (fromOk && toOk)
        {
            if (to <= from)
            {
                problems.Add("有效期至应晚于有效期自");
            }
            else if (to > from.AddYears(5))
            {
                problems.Add("有效期超过 5 年");
            }
        }

        return (from, to);
    }

    private static (double? Longitude, double? Latitude) Place(string lonText, string latText, List<string> problems)
    {
        if (lonText.Length == 0 && latText.Length == 0)
        {
            return (null, null);
        }

        if (!double.TryParse(lonText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) || lon is < 73 or > 136
            || !double.TryParse(latText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) || lat is < 3 or > 54)
        {
            problems.Add("经度、纬度应同时填写，且在我国境内（经度 73–136，纬度 3–54）");
            return (null, null);
        }

        return (lon, lat);
    }
}
