using System.Globalization;
using System.Text.RegularExpressions;
using Permits.Contracts.Disclosure;

namespace Permits.Shared.Domain;

/// <summary>
/// De-identification (去标识化) for anything the public may see: the one policy every public output applies. For natural
/// persons nothing that identifies them is published: resident ID and passport numbers, mobile and landline numbers,
/// e-mail addresses, bank card numbers, door numbers of an address, and personal names where they can be recognised
/// (names known to the case, and names after 姓名：/负责人/经营者…, before 先生/女士). What the law publishes stays
/// (双公示): a business's 行政相对人名称, 统一社会信用代码 (a valid one is never taken for a card number), licence and
/// document numbers (〔2026〕7号), dates, the bureau's name; the 双公示 fields themselves are left alone
/// (<see cref="IsPublicByLaw"/>).
/// </summary>
public static partial class PersonalData
{
    /// <summary>Keeps the family name (first character) and masks the rest: 张三丰 → 张**.</summary>
    public static string MaskName(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length <= 1)
        {
            return "*";
        }

        var first = char.IsSurrogatePair(trimmed, 0) ? trimmed[..2] : trimmed[..1];
        return first + new string('*', Math.Max(1, new StringInfo(trimmed).LengthInTextElements - 1));
    }

    /// <summary>
    /// 双公示 fields published by law (XK_XDR_MC 相对人名称, XK_XDR_SHXYM, licence and document numbers, dates, the
    /// authority, and 领取地点, the bureau's own hall): their names and addresses stay (<see cref="DeidentifyField"/>).
    /// XK_FRDB (a person) is masked by <see cref="MaskName"/>.
    /// </summary>
    public static bool IsPublicByLaw(string field) =>
        (LicensingFields.IsLicensingField(field) && field != LicensingFields.Representative)
        || field is LicensingFields.ApplicationNumber or LicensingFields.Matter or LicensingFields.RequestType or LicensingFields.PickupPlace;

    /// <summary>
    /// One field of a published record: a field the law publishes (<see cref="IsPublicByLaw"/>) keeps its names and
    /// addresses but still loses any ID, passport, card, phone number or e-mail a sender put there by mistake; any other
    /// field gets the whole policy.
    /// </summary>
    public static string DeidentifyField(string field, string value, IEnumerable<string>? knownNames = null) =>
        string.IsNullOrEmpty(value) ? value : Apply(value, IsPublicByLaw(field) ? null : knownNames, null, identifiersOnly: IsPublicByLaw(field));

    /// <summary>True when the text holds something <see cref="Deidentify"/> would mask.</summary>
    public static bool ContainsIdentifier(string text) => Findings(text).Count > 0;

    /// <summary>The same as <see cref="Deidentify"/> without names known to the case.</summary>
    public static string Scrub(string text) => Deidentify(text);

    /// <summary>What in the text would be masked, and as what, in order: for the officer's warning before publishing.</summary>
    public static IReadOnlyList<Finding> Findings(string text, IEnumerable<string>? knownNames = null)
    {
        var findings = new List<Finding>();
        Apply(text, knownNames, findings, identifiersOnly: false);
        return findings;
    }

    /// <summary>
    /// Masks every personal identifier in free text before it is published. <paramref name="knownNames"/> are the
    /// natural persons of the case (the 负责人, the recipient…): masked wherever they appear (张伟 → 张*).
    /// 330424199001011234 → 330424********1234; 13800571234 → 138****1234; 0573-86123456 → 0573-********;
    /// a@b.cn → a***@***; 百尺路12号3幢501室 → 百尺路***.
    /// </summary>
    public static string Deidentify(string text, IEnumerable<string>? knownNames = null) =>
        string.IsNullOrEmpty(text) ? text : Apply(text, knownNames, null, identifiersOnly: false);

    /// <summary>One thing masked: what kind (in the officer's words), the text found, and what is published instead.</summary>
    public sealed record Finding(string Kind, string Found, string Published);

    private static string Apply(string text, IEnumerable<string>? knownNames, List<Finding>? findings, bool identifiersOnly)
    {
        string Mask(string input, Regex pattern, string kind, Func<Match, string?> replace) =>
            pattern.Replace(input, m =>
            {
                var replacement = replace(m);
                if (replacement is null || replacement == m.Value)
                {
                    return m.Value;
                }

                findings?.Add(new Finding(kind, m.Value, replacement));
                return replacement;
            });

        var masked = text;
        masked = Mask(masked, Email(), "电子邮箱", m => m.Value[..1] + "***@***");
        masked = Mask(masked, IdNumber(), "身份证号码", m => m.Value[..6] + new string('*', 8) + m.Value[^4..]);
        masked = Mask(masked, Passport(), "护照号码", m => m.Value[..1] + new string('*', m.Value.Length - 1));
        masked = Mask(masked, BankCard(), "银行卡号", m =>
        {
            var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            var context = m.Groups["context"].Success;
            if (!context && (Identifiers.IsValidCreditCode(digits) || !Luhn(digits)))
            {
                return null; // a 统一社会信用代码 is published by law; other long numbers need a context to count as a card
            }

            return m.Groups["context"].Value + new string('*', digits.Length - 4) + digits[^4..];
        });
        masked = Mask(masked, Mobile(), "手机号码", m => m.Value[..^8] + "****" + m.Value[^4..]);
        masked = Mask(masked, Landline(), "固定电话", m => m.Groups["area"].Value + new string('*', m.Groups["local"].Length));
        masked = Mask(masked, ContextPhone(), "电话号码", m => m.Groups["context"].Value + new string('*', m.Groups["number"].Length));
        if (identifiersOnly)
        {
            return masked;
        }

        masked = Mask(masked, DoorNumber(), "门牌地址", _ => "***");

        var names = (knownNames ?? [])
            .Select(n => n.Trim())
            .Where(n => new StringInfo(n).LengthInTextElements > 1 && !n.Contains('*', StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(n => n.Length);
        foreach (var name in names)
        {
            masked = Mask(masked, new Regex(Regex.Escape(name)), "姓名", m => MaskName(m.Value));
        }

        masked = Mask(masked, LabelledName(), "姓名", m => m.Groups["label"].Value + MaskName(m.Groups["name"].Value));
        masked = Mask(masked, AddressedName(), "姓名", m => MaskName(m.Groups["name"].Value) + m.Groups["title"].Value);
        return masked;
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    // 18-character resident ID (17 digits + digit or X), not part of a longer digit run (a licence number is 12).
    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    // Mainland mobile numbers (1[3-9] + 9 digits), with an optional +86 / 86 prefix, not inside a longer run of
    // letters or digits (a hash or a record id).
    [GeneratedRegex(@"(?<![0-9A-Za-z])(\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    // Chinese passports: E + 8 digits, or E + letter + 7 digits (and the older G/D/S/P + 8 digits).
    [GeneratedRegex(@"(?<![0-9A-Za-z])(E[A-HJ-NP-Z0-9]\d{7}|[GDSP]\d{8})(?![0-9A-Za-z])")]
    private static partial Regex Passport();

    // 16–19 digits, possibly in groups of four; counted as a card when it passes the Luhn check or follows 卡号/账号.
    [GeneratedRegex(@"(?<context>(卡号|账号|帐号|银行卡|账户)[:：\s]*)?(?<![0-9A-Za-z])\d{4}([ -]?\d{4}){2}[ -]?\d{4,7}(?![0-9A-Za-z])")]
    private static partial Regex BankCard();

    // Landlines with an area code: 0573-86123456, 0573 86123456, (0573)86123456, （0573）86123456, 057386123456.
    [GeneratedRegex(@"(?<![0-9A-Za-z-])(?<area>[(（]?0\d{2,3}[)）]?[- ]?)(?<local>\d{7,8})(?![0-9A-Za-z])")]
    private static partial Regex Landline();

    // A bare local number (86123456) counts when it follows a word that says it is a phone.
    [GeneratedRegex(@"(?<context>(电话|座机|固话|联系方式|手机|传真|Tel|TEL|tel)[号码]*[:：\s]*)(?<number>\d{7,8})(?![0-9])")]
    private static partial Regex ContextPhone();

    // Door numbers of an address: 12号, 弄3号, 3幢, 2单元, 501室, 5号楼, 8栋, in a run (12号3幢2单元501室). Not a document
    // number (〔2026〕7号) and not inside a longer number.
    [GeneratedRegex(@"(?<![0-9〕\]】）)A-Za-z月第])(?:[0-9０-９]+[-－]?(?:号楼|号|幢|栋|座|单元|室|弄|层|楼)\s*){1,6}(?<=(号|幢|栋|单元|室|弄|号楼)\s*)")]
    private static partial Regex DoorNumber();

    // 姓名：张伟, 负责人张伟, 经营者：张伟, 联系人 张伟: a common family name after a label that names a person.
    [GeneratedRegex(@"(?<label>(姓名|负责人|经营者|法定代表人|法人代表|联系人|收件人|签收人|代理人|委托人|申请人)[:：\s]*)(?<name>[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马诸葛上官][\u4e00-\u9fff]{1,2})")]
    private static partial Regex LabelledName();

    // 张伟先生, 李红女士: the given name is masked (王女士 alone names nobody).
    [GeneratedRegex(@"(?<name>[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤][\u4e00-\u9fff]{1,2})(?<title>先生|女士)")]
    private static partial Regex AddressedName();
}
