using Permits.Contracts.Intake.V1;

namespace Permits.Testing;

/// <summary>Valid applications (checksums correct), to be spoiled one field at a time by the tests that need it.</summary>
public static class SampleApplications
{
    /// <summary>An individual business in 海盐县, courier delivery, leased premises.</summary>
    public static SubmitApplicationRequest Individual(string countyCode = "330424") => new()
    {
        ClientRequestId = Guid.NewGuid().ToString("N"),
        CountyCode = countyCode,
        RequestType = RequestType.New,
        HolderType = HolderType.IndividualBusiness,
        BusinessName = "海盐县武原街道惠民便利店",
        ResponsiblePerson = "王建国",
        IdNumber = "330424198001010012",
        PremisesAddress = AddressIn(countyCode),
        FloorArea = "42.5",
        PremisesTenure = PremisesTenure.Leased,
        LeaseEndDate = DateTime.UtcNow.AddYears(3).ToString("yyyy-MM-dd"),
        ContactPhone = "13800571234",
        Delivery = new DeliveryChoice
        {
            Method = DeliveryMethod.Courier,
            RecipientName = "王建国",
            RecipientPhone = "13800571234",
            Address = AddressIn(countyCode),
        },
    };

    /// <summary>An enterprise with a valid 统一社会信用代码, owned premises.</summary>
    public static SubmitApplicationRequest Enterprise(string countyCode = "330424")
    {
        var request = Individual(countyCode);
        request.HolderType = HolderType.Enterprise;
        request.BusinessName = "嘉兴市百合超市有限公司海盐分店";
        request.CreditCode = "91330424MA2B3C4D5Y";
        request.ResponsiblePerson = "李秀英";
        request.IdNumber = "330424198506150029";
        request.PremisesTenure = PremisesTenure.Owned;
        request.LeaseEndDate = "";
        return request;
    }

    /// <summary>Another shopkeeper's valid identifiers: a stranger to the samples' licences.</summary>
    public const string StrangersCreditCode = "91330424MA7X9K2P36";

    public const string StrangersIdNumber = "330424199003030046";

    /// <summary>
    /// A request on <paramref name="licenceNumber"/> (变更, 补办, 注销, ...) by its holder, who applied with
    /// <paramref name="holder"/>: the same 统一社会信用代码 and 身份证号, as the holder check at submission requires.
    /// </summary>
    public static SubmitApplicationRequest OnLicence(SubmitApplicationRequest holder, RequestType type, string licenceNumber)
    {
        var request = holder.Clone();
        request.ClientRequestId = Guid.NewGuid().ToString("N");
        request.DraftId = "";
        request.RequestType = type;
        request.LicenceNumber = licenceNumber;
        return request;
    }

    /// <summary>A street address in each served county, so the premises lie in the county chosen.</summary>
    private static string AddressIn(string countyCode) => countyCode switch
    {
        "330421" => "浙江省嘉兴市嘉善县罗星街道体育南路 8 号",
        "330481" => "浙江省嘉兴市海宁市海洲街道文宗南路 8 号",
        "320583" => "江苏省苏州市昆山市玉山镇前进中路 8 号",
        _ => "浙江省嘉兴市海盐县武原街道向阳路 18 号",
    };
}
