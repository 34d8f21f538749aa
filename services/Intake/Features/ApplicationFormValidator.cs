using System.Globalization;
using System.Text.RegularExpressions;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using ContractDeliveryMethod = Permits.Contracts.DeliveryMethod;
using DeliveryChoice = Permits.Contracts.DeliveryChoice;
using ProtoDeliveryMethod = Permits.Contracts.Intake.V1.DeliveryMethod;
using RequestType = Permits.Contracts.Intake.V1.RequestType;

namespace Permits.Intake.Features;

/// <summary>
/// The applicant's form checked as a whole, for a first submission and a resubmission (补正) alike: every field at once
/// against the form of its request type in its county as in force (<see cref="CountyFields"/>: the county's setting,
/// else the file's), each error naming its field in Chinese (INVALID_ARGUMENT). A field that form does not ask for is
/// ignored and not kept. The county's choice is read once per call, before the check; an application already accepted
/// is never checked again when the county changes its form.
/// </summary>
public sealed partial class ApplicationFormValidator(
    CountyDirectory counties, TimeProvider time, FormRequirements fields, CountyFields forms, RequestRules rules)
{
    /// <summary>The form parsed against the form in force now, or INVALID_ARGUMENT naming each bad field.</summary>
    public async Task<ValidForm> ValidateAsync(SubmitApplicationRequest r, CancellationToken cancellationToken)
    {
        var (county, type) = FormOf(r);
        return Validate(r, await forms.ForAsync(county, type, cancellationToken));
    }

    /// <summary>The form in force of the request's county and type, read inside a step's transaction.</summary>
    public Task<IReadOnlyDictionary<string, FieldRequirement>> FormInForceAsync(SubmitApplicationRequest r, DbSession session)
    {
        var (county, type) = FormOf(r);
        return forms.ForAsync(session, county, type);
    }

    /// <summary>
    /// Whose form the request is checked against: its county (unknown or none: the common form) and its type (none: as
    /// a 新办 would be, so that every problem is named at once).
    /// </summary>
    private (string County, string RequestType) FormOf(SubmitApplicationRequest r) => (
        counties.TryGet(r.CountyCode.Trim(), out var county) ? county.Code : "",
        RequestTypes.TryGet(r.RequestType, out var type) ? type.Code : RequestTypes.New);

    /// <summary>The form parsed against <paramref name="spec"/> (the form in force, read once), or INVALID_ARGUMENT.</summary>
    public ValidForm Validate(SubmitApplicationRequest r, IReadOnlyDictionary<string, FieldRequirement> spec)
    {
        var errors = new FieldErrors();
        var today = time.Today();

        var clientRequestId = r.ClientRequestId.Trim();
        if (clientRequestId.Length is 0 or > 64)
        {
            errors.Add("client_request_id", "缺少表单请求号（1–64 个字符），请刷新页面后重试");
        }

        var countyCode = r.CountyCode.Trim();
        County? county = null;
        if (countyCode.Length == 0)
        {
            errors.Add("county_code", "请选择经营场所所在的县（市、区）");
        }
        else if (!counties.TryGet(countyCode, out var known))
        {
            errors.Add("county_code", $"不受理该地区的申请：{Clip(countyCode)} 不是本系统服务的县级行政区划代码");
        }
        else
        {
            county = known;
        }

        var typeKnown = r.RequestType != RequestType.Unspecified && Enum.IsDefined(r.RequestType);
        if (!typeKnown)
        {
            errors.Add("request_type", "请选择申请类型（新办、变更、延续等）");
        }

        // Without a type, the other fields are still checked, as a 新办 would be (every problem named at once).
        var requestType = typeKnown ? r.RequestType : RequestType.New;
        bool Asked(string field) => spec[field] != FieldRequirement.NotAsked;
        bool Required(string field) => spec[field] == FieldRequirement.Required;

        var (licenceNumber, licenceValidTo) = rules.Licence(r, requestType, spec, today, errors);
        var (suspendFrom, suspendUntil) = rules.Suspension(r, requestType, spec, today, errors);
        var changeItems = RequestRules.ChangeItems(r, spec, errors);
        var changedOn = RequestRules.ChangedOn(r, spec, today, errors);

        if (r.HolderType == HolderType.Unspecified || !Enum.IsDefined(r.HolderType))
        {
            errors.Add("holder_type", "请选择主体类型：个体工商户或企业");
        }

        var businessName = Text(r.BusinessName);
        if (businessName.Length == 0)
        {
            errors.Add("business_name", "请填写企业名称或字号");
        }
        else if (businessName.Length > 100)
        {
            errors.Add("business_name", "企业名称或字号不能超过 100 个字");
        }

        var creditCode = Asked(FormFields.CreditCode) ? r.CreditCode.Trim().ToUpperInvariant() : "";
        if (creditCode.Length == 0 && Required(FormFields.CreditCode))
        {
            errors.Add("credit_code", "请填写统一社会信用代码（18 位，见营业执照）");
        }
        else if (creditCode.Length == 0 && Asked(FormFields.CreditCode) && r.HolderType == HolderType.Enterprise)
        {
            errors.Add("credit_code", "企业须填写统一社会信用代码");
        }
        else if (creditCode.Length > 0 && !Identifiers.IsValidCreditCode(creditCode))
        {
            errors.Add("credit_code", "统一社会信用代码有误：应为 18 位，且校验位正确");
        }

        var responsiblePerson = Text(r.ResponsiblePerson);
        if (responsiblePerson.Length == 0)
        {
            errors.Add("responsible_person", "请填写负责人（经营者）姓名");
        }
        else if (responsiblePerson.Length > 50)
        {
            errors.Add("responsible_person", "负责人姓名不能超过 50 个字");
        }

        var idNumber = Asked(FormFields.IdNumber) ? r.IdNumber.Trim().ToUpperInvariant() : "";
        if (idNumber.Length == 0 && Required(FormFields.IdNumber))
        {
            errors.Add("id_number", "请填写负责人的居民身份证号码");
        }
        else if (idNumber.Length > 0 && !Identifiers.IsValidIdNumber(idNumber, today))
        {
            errors.Add("id_number", "居民身份证号码有误：应为 18 位，地址码和出生日期真实有效，且校验位正确");
        }

        var premisesAddress = Asked(FormFields.PremisesAddress) ? Text(r.PremisesAddress) : "";
        if (premisesAddress.Length == 0 && Required(FormFields.PremisesAddress))
        {
            errors.Add("premises_address", "请填写经营场所地址");
        }
        else if (premisesAddress.Length > 200)
        {
            errors.Add("premises_address", "经营场所地址不能超过 200 个字");
        }
        else if (premisesAddress.Length > 0 && county is not null && OutsideCounty(premisesAddress, county) is { } outside)
        {
            errors.Add("premises_address", outside);
        }

        decimal floorArea = 0;
        var floorText = Asked(FormFields.FloorArea) ? r.FloorArea.Trim() : "";
        if ((floorText.Length > 0 || Required(FormFields.FloorArea))
            && (!decimal.TryParse(floorText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out floorArea)
                || floorArea <= 0 || floorArea > 100_000))
        {
            errors.Add("floor_area", "请填写经营面积（平方米），如 35.5");
        }

        var tenure = Asked(FormFields.PremisesTenure) && Enum.IsDefined(r.PremisesTenure) ? r.PremisesTenure : PremisesTenure.Unspecified;
        if (tenure == PremisesTenure.Unspecified && Required(FormFields.PremisesTenure))
        {
            errors.Add("premises_tenure", "请选择经营场所是自有还是租赁");
        }

        DateOnly? leaseEnd = null;
        var leaseText = tenure == PremisesTenure.Leased && Asked(FormFields.LeaseEndDate) ? r.LeaseEndDate.Trim() : "";
        if (leaseText.Length > 0 || (tenure == PremisesTenure.Leased && Required(FormFields.LeaseEndDate)))
        {
            if (!ChinaTime.TryParseDate(leaseText, out var end))
            {
                errors.Add("lease_end_date", "请填写租赁期限届满日，格式如 2028-06-30");
            }
            else if (end <= today)
            {
                errors.Add("lease_end_date", "租赁已到期：到期日须晚于今天");
            }
            else if (end > today.AddYears(100))
            {
                errors.Add("lease_end_date", "租赁期限届满日有误，请核对年份");
            }
            else
            {
                leaseEnd = end;
            }
        }

        var contactPhone = r.ContactPhone.Trim();
        if (!PhoneNumber().IsMatch(contactPhone))
        {
            errors.Add("contact_phone", "请填写 11 位手机号码或带区号的固定电话");
        }

        var delivery = ValidateDelivery(r.Delivery, errors);
        errors.ThrowIfAny();

        var kept = r.Clone();
        kept.DraftId = "";
        kept.ClientRequestId = clientRequestId;
        kept.LicenceNumber = licenceNumber ?? "";
        kept.LicenceValidTo = Asked(FormFields.LicenceValidTo) ? kept.LicenceValidTo : "";
        kept.SuspendFrom = Asked(FormFields.SuspendFrom) ? kept.SuspendFrom : "";
        kept.SuspendUntil = Asked(FormFields.SuspendUntil) ? kept.SuspendUntil : "";
        kept.ChangeItems.Clear();
        kept.ChangeItems.AddRange(changeItems);
        kept.ChangedOn = ChinaTime.Text(changedOn);
        kept.CreditCode = Asked(FormFields.CreditCode) ? kept.CreditCode : "";
        kept.IdNumber = Asked(FormFields.IdNumber) ? kept.IdNumber : "";
        kept.PremisesAddress = Asked(FormFields.PremisesAddress) ? kept.PremisesAddress : "";
        kept.FloorArea = Asked(FormFields.FloorArea) ? kept.FloorArea : "";
        kept.PremisesTenure = tenure;
        kept.LeaseEndDate = leaseEnd is null ? "" : kept.LeaseEndDate;

        return new ValidForm(
            clientRequestId, countyCode, RequestTypes.Code(r.RequestType), HolderTypes.Name(r.HolderType), businessName,
            creditCode.Length == 0 ? null : creditCode, responsiblePerson, idNumber, premisesAddress, floorArea,
            tenure switch { PremisesTenure.Leased => "Leased", PremisesTenure.Owned => "Owned", _ => "" },
            leaseEnd, contactPhone, delivery!, licenceNumber, licenceValidTo, suspendFrom, suspendUntil,
            changeItems.Select(c => c.ToString()).ToList(), kept)
        {
            ChangedOn = changedOn,
            ElectronicServiceConsent = r.ElectronicServiceConsent,
        };
    }

    /// <summary>
    /// The premises must lie in the county chosen: the address names that county or one of its towns (乡镇、街道),
    /// and no other county this system serves. Null when it does.
    /// </summary>
    private string? OutsideCounty(string address, County county)
    {
        var elsewhere = counties.All
            .Where(c => c.Code != county.Code)
            .FirstOrDefault(c => address.Contains(c.Name, StringComparison.Ordinal)
                                 || fields.Towns(c.Code).Any(t => address.Contains(t, StringComparison.Ordinal)));
        if (elsewhere is not null)
        {
            return $"该地址在{elsewhere.Name}，不在所选的{county.Name}：请改选“所在县（市、区）”，或改正地址";
        }

        var towns = fields.Towns(county.Code);
        if (address.Contains(county.Name, StringComparison.Ordinal) || towns.Any(t => address.Contains(t, StringComparison.Ordinal)))
        {
            return null;
        }

        return towns.Count == 0
            ? $"经营场所须在{county.Name}境内：请在地址中写明“{county.Name}”"
            : $"经营场所须在{county.Name}境内：请写明所在乡镇（街道），如“{county.Name}{towns[0]}××路 18 号”";
    }

    private static DeliveryChoice? ValidateDelivery(Permits.Contracts.Intake.V1.DeliveryChoice? choice, FieldErrors errors)
    {
        if (choice is null || choice.Method == ProtoDeliveryMethod.Unspecified || !Enum.IsDefined(choice.Method))
        {
            errors.Add("delivery.method", "请选择领取方式：快递到家或窗口自取");
            return null;
        }

        var name = Text(choice.RecipientName);
        var phone = choice.RecipientPhone.Trim();
        var address = Text(choice.Address);
        if (name.Length is 0 or > 50)
        {
            errors.Add("delivery.recipient_name", "请填写收件人（领取人）姓名");
        }

        if (!PhoneNumber().IsMatch(phone))
        {
            errors.Add("delivery.recipient_phone", "请填写收件人的 11 位手机号码或带区号的固定电话");
        }

        if (choice.Method == ProtoDeliveryMethod.Courier && address.Length is 0 or > 200)
        {
            errors.Add("delivery.address", "快递到家须填写收件地址（不超过 200 个字）");
        }

        return new DeliveryChoice(
            choice.Method == ProtoDeliveryMethod.Courier ? ContractDeliveryMethod.Courier : ContractDeliveryMethod.Pickup,
            name, phone, choice.Method == ProtoDeliveryMethod.Courier ? address : null);
    }

    /// <summary>Trims and removes control characters; markup stays as typed text and is encoded wherever it is shown.</summary>
    private static string Text(string value) => new(value.Trim().Where(c => !char.IsControl(c)).ToArray());

    private static string Clip(string value) => value.Length <= 12 ? value : value[..12] + "…";

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex PhoneNumber();
}
