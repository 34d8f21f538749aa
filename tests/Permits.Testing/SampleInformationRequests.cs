using Permits.Contracts.Disclosure.V1;

namespace Permits.Testing;

/// <summary>依申请公开 requests as people fill them in, with identifiers whose check characters are right.</summary>
public static class SampleInformationRequests
{
    /// <summary>GB 11643's own example number.</summary>
    public const string IdNumber = "11010519491231002X";

    /// <summary>A request by a natural person of 海盐县 (or <paramref name="county"/>).</summary>
    public static FileInformationRequest Person(
        string county = "330424", string name = "张三丰", string description = "2025 年度海盐县烟草专卖零售许可证核发情况统计表") => new()
    {
        ClientRequestId = Guid.NewGuid().ToString("N"),
        CountyCode = county,
        Requester = new InformationRequester
        {
            Category = "NaturalPerson",
            Name = name,
            IdNumber = IdNumber,
            Phone = "13800571234",
            Address = "浙江省嘉兴市海盐县武原街道某路 1 号",
        },
        Description = description,
        PreferredForm = "Electronic",
        DeliveryMethod = "Online",
    };
}
