using System.Globalization;
using System.Text;

namespace Permits.Testing;

/// <summary>
/// Licence registers as a county's previous system exports them (许可证登记簿), generated with valid checksums:
/// individual businesses identified by the 负责人's 身份证号 or by a 统一社会信用代码, enterprises by their code, some
/// with the outlet's coordinates, some suspended or closed. Serials run from <c>firstSerial</c>; rows are spoiled by
/// the tests that need bad ones.
/// </summary>
public static class SampleRegisters
{
    public static readonly string[] Header =
        ["许可证号", "企业名称/字号", "负责人", "身份证号/统一社会信用代码", "经营场所", "企业类型", "有效期自", "有效期至", "状态", "供货单位", "经度", "纬度"];

    private const string CreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] IdNumberWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>The data rows (no header) of a register of <paramref name="count"/> licences, valid on <paramref name="today"/>.</summary>
    public static List<string[]> Rows(string countyCode, int count, DateOnly today, int firstSerial = 1)
    {
        var rows = new List<string[]>(count);
        var (individuals, enterprises) = (0, 0);
        for (var i = 0; i < count; i++)
        {
            var enterprise = i % 5 == 4;
            var serial = firstSerial + (enterprise ? enterprises++ : individuals++);  // one serial counter per holder type
            var number = string.Create(CultureInfo.InvariantCulture, $"{countyCode}{(enterprise ? 2 : 1)}{serial:D5}");
            var identifier = enterprise || i % 5 == 3 ? CreditCode(enterprise ? "91" : "92", countyCode, i) : IdNumber(countyCode, i);
            var from = today.AddDays(-(i % 1500) - 1);
            var status = (i % 50) switch { 7 => "停业", 13 => "歇业", 29 => "注销", _ => "有效" };
            var placed = i % 3 == 0;
            rows.Add(
            [
                number,
                enterprise ? $"嘉兴市第{i}号便利连锁有限公司" : $"海盐县第{i}号便民烟杂店",
                $"负责人{i}",
                identifier,
                $"浙江省嘉兴市海盐县武原街道第{i}号",
                enterprise ? "企业" : "个体工商户",
                Text(from),
                Text(from.AddYears(5).AddDays(-1)),
                status,
                "海盐县烟草公司",
                placed ? (120.9 + i % 1000 * 0.0001).ToString("0.####", CultureInfo.InvariantCulture) : "",
                placed ? (30.5 + i / 1000 * 0.0001).ToString("0.####", CultureInfo.InvariantCulture) : "",
            ]);
        }

        return rows;
    }

    /// <summary>A CSV file (UTF-8, optionally with a byte-order mark) of a header and rows.</summary>
    public static byte[] Csv(IEnumerable<string[]> rows, bool bom = true)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(Header))
        {
            text.AppendJoin(',', row).Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return bom ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes;
    }

    /// <summary>A valid 统一社会信用代码 (GB 32100) of a business registered in <paramref name="countyCode"/>.</summary>
    public static string CreditCode(string kind, string countyCode, int seed)
    {
        var body = kind + countyCode + string.Create(CultureInfo.InvariantCulture, $"MA{seed:D7}");
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditCodeAlphabet.IndexOf(body[i], StringComparison.Ordinal) * CreditCodeWeights[i];
        }

        var check = 31 - sum % 31;
        return body + CreditCodeAlphabet[check == 31 ? 0 : check];
    }

    /// <summary>A valid 居民身份证号码 (GB 11643) of someone born in <paramref name="countyCode"/> between 1960 and 2000.</summary>
    public static string IdNumber(string countyCode, int seed)
    {
        var birth = new DateOnly(1960, 1, 1).AddDays(seed * 7 % 14600);
        var body = countyCode + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (seed % 1000).ToString("D3", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (body[i] - '0') * IdNumberWeights[i];
        }

        return body + "10X98765432"[sum % 11];
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
