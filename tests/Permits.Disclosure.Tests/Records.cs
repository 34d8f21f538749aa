using Permits.Contracts.Disclosure;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Tests;

/// <summary>Disclosure records shaped as the services build them (Disclosures.For, masked names, national fields).</summary>
public static class Records
{
    public static readonly string[] HappyPath =
    [
        DisclosureKinds.ApplicationSubmitted, DisclosureKinds.ApplicationAccepted, DisclosureKinds.LicenceApproved,
        DisclosureKinds.CertificateIssued, DisclosureKinds.ShipmentDispatched, DisclosureKinds.ShipmentDelivered,
    ];

    public static readonly County Haiyan =
        new("330424", "海盐县", "33", "海盐县烟草专卖局", "11330424002583123X", "盐烟专许", "海盐县武原街道");

    public static readonly County Beijing =
        new("110101", "东城区", "11", "北京市东城区烟草专卖局", "11110101000000000X", "东烟专许", "东城区");

    public static DisclosureRecorded Step(
        string kind, Guid applicationId, string number, County county, DateTimeOffset at, string person, string business)
    {
        var fields = kind switch
        {
            DisclosureKinds.LicenceApproved => new Dictionary<string, string>
            {
                ["XK_XDR_MC"] = business,
                ["XK_FRDB"] = PersonalData.MaskName(person),
                ["XK_XKWS"] = "准予行政许可决定书",
                ["XK_WSH"] = $"盐烟专许〔2026〕{number[^4..]}号",
                ["XK_XKLB"] = "普通",
                ["XK_NR"] = "卷烟、雪茄烟零售（不含电子烟）",
                ["XK_JDRQ"] = at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"),
                ["XK_XKJG"] = county.Authority,
                ["XK_XKJGDM"] = county.AuthorityCreditCode,
                ["XK_ZT"] = "有效",
            },
            DisclosureKinds.CertificateIssued => new Dictionary<string, string>
            {
                ["XK_XDR_MC"] = business,
                ["XK_XKZS"] = "烟草专卖零售许可证",
                ["XK_XKBH"] = county.Code + "1" + number[^5..],
                ["XK_XKJG"] = county.Authority,
                ["XK_ZT"] = "有效",
            },
            DisclosureKinds.ShipmentDelivered => new Dictionary<string, string> { ["签收"] = PersonalData.MaskName(person) },
            _ => new Dictionary<string, string>(),
        };
        return Disclosures.For(kind, applicationId, number, county, at, $"{county.Authority} {kind} {number}", fields);
    }
}
