using Permits.Contracts.Disclosure;
using Permits.Contracts.Licensing;

namespace Permits.Shared.Domain;

/// <summary>
/// The typed builder of the 双公示 行政许可 fields (<see cref="LicensingFields"/>): the authority comes from the county,
/// dates are written one way, and the representative, a person, is masked. Each step fills what it decided:
/// <code>
/// LicensingDisclosure.By(county).Holder(name, creditCode, person).Decision("准予行政许可决定书", number, today)
///     .Content().Status(LicensingDisclosure.InForce).Fields
/// </code>
/// </summary>
public sealed class LicensingDisclosure
{
    /// <summary>What a tobacco retail licence permits (许可内容, and the licence's 经营范围).</summary>
    public const string RetailScope = "卷烟、雪茄烟零售（不含电子烟）";

    /// <summary>许可类别 of this matter.</summary>
    public const string OrdinaryCategory = "普通";

    /// <summary>当前状态 values.</summary>
    public const string InForce = "有效";
    public const string Suspended = "停业";
    public const string Closed = "歇业";
    public const string Cancelled = "注销";

    private readonly Dictionary<string, string> fields = new(StringComparer.Ordinal);

    private LicensingDisclosure()
    {
    }

    /// <summary>A decision or licence record of <paramref name="county"/>'s bureau, the 许可机关.</summary>
    public static LicensingDisclosure By(County county)
    {
        var builder = new LicensingDisclosure();
        builder.fields[LicensingFields.Authority] = county.Authority;
        builder.fields[LicensingFields.AuthorityCreditCode] = county.AuthorityCreditCode;
        return builder;
    }

    /// <summary>A progress record (办件进度) of one application: its number and, given the request type, its matter.</summary>
    public static LicensingDisclosure ForCase(string applicationNumber, string? requestType = null) =>
        new LicensingDisclosure().Case(applicationNumber, requestType);

    /// <summary>申请编号 and, given the request type, 事项名称 (from the request-type catalogue).</summary>
    public LicensingDisclosure Case(string applicationNumber, string? requestType = null)
    {
        fields[LicensingFields.ApplicationNumber] = applicationNumber;
        if (requestType is not null)
        {
            fields[LicensingFields.Matter] = RequestTypes.Matter(requestType);
        }

        return this;
    }

    /// <summary>申请类型 as people read it (新办, 变更, …).</summary>
    public LicensingDisclosure RequestType(string requestType)
    {
        fields[LicensingFields.RequestType] = RequestTypes.Label(requestType);
        return this;
    }

    /// <summary>领取地点: the hall where the licence waits.</summary>
    public LicensingDisclosure PickupAt(string serviceHallAddress)
    {
        fields[LicensingFields.PickupPlace] = serviceHallAddress;
        return this;
    }

    /// <summary>Any other field the record publishes, by name.</summary>
    public LicensingDisclosure With(string field, string value)
    {
        fields[field] = value;
        return this;
    }

    /// <summary>The holder: name, credit code (empty for a 个体工商户 without one) and, if given, the representative masked.</summary>
    public LicensingDisclosure Holder(string name, string? creditCode = null, string? representative = null)
    {
        fields[LicensingFields.SubjectName] = name;
        if (creditCode is not null)
        {
            fields[LicensingFields.SubjectCreditCode] = creditCode;
        }

        if (representative is not null)
        {
            fields[LicensingFields.Representative] = PersonalData.MaskName(representative);
        }

        return this;
    }

    /// <summary>The decision document: its title (准予行政许可决定书 …), number and date.</summary>
    public LicensingDisclosure Decision(string title, string number, DateOnly date)
    {
        fields[LicensingFields.DocumentTitle] = title;
        fields[LicensingFields.DocumentNumber] = number;
        fields[LicensingFields.DecisionDate] = ChinaTime.Text(date);
        return this;
    }

    /// <summary>The category (普通) and what is permitted.</summary>
    public LicensingDisclosure Content(string scope = RetailScope, string category = OrdinaryCategory)
    {
        fields[LicensingFields.Content] = scope;
        fields[LicensingFields.Category] = category;
        return this;
    }

    /// <summary>The licence: its title, number and validity.</summary>
    public LicensingDisclosure Licence(string title, string number, DateOnly validFrom, DateOnly validTo, string scope = RetailScope)
    {
        fields[LicensingFields.LicenceTitle] = title;
        fields[LicensingFields.LicenceNumber] = number;
        fields[LicensingFields.ValidFrom] = ChinaTime.Text(validFrom);
        fields[LicensingFields.ValidTo] = ChinaTime.Text(validTo);
        fields[LicensingFields.Content] = scope;
        return this;
    }

    /// <summary>当前状态: <see cref="InForce"/>, <see cref="Suspended"/>, <see cref="Closed"/> or <see cref="Cancelled"/>.</summary>
    public LicensingDisclosure Status(string status)
    {
        fields[LicensingFields.Status] = status;
        return this;
    }

    /// <summary>The fields as the record carries them.</summary>
    public IReadOnlyDictionary<string, string> Fields => new Dictionary<string, string>(fields, StringComparer.Ordinal);
}
