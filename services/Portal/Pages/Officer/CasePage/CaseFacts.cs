using System.Globalization;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Pages.Apply;
using Permits.Portal.Pages.Licences;
using Permits.Portal.Web;
using Permits.Shared.Steps;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Portal.Pages.Officer.CasePage;

/// <summary>One line of what the officer reads: what it is, and its value in words.</summary>
public sealed record Fact(string Label, string Value);

/// <summary>
/// 申请信息 as the applicant filed it, for the reviewing officers (the personal data included: the page is theirs only).
/// The labels are Intake's form labels (GetFormSpec, the one place they are written); coded values are shown in the
/// Portal's words (<see cref="Labels"/>), never as codes.
/// </summary>
public static class FiledApplication
{
    /// <summary>Every field the form of this request type asks (or that carries a value), in form order.</summary>
    /// <param name="fields">The form spec's fields of the application's request type and county, with their labels.</param>
    public static IReadOnlyList<Fact> Facts(SubmitApplicationRequest filed, IReadOnlyList<FormField> fields)
    {
        var form = ApplicationForm.From(filed);
        var facts = new List<Fact>();
        foreach (var field in fields)
        {
            var value = field.Field switch
            {
                "county_code" or "materials" or "kind" or "content" or "delivery.method" or "delivery.recipient_name"
                    or "delivery.recipient_phone" or "delivery.address" => null,
                "request_type" => Labels.RequestType(filed.RequestType),
                "holder_type" => Labels.HolderType(form.HolderType ?? ""),
                "business_name" => form.BusinessName,
                "credit_code" => form.CreditCode,
                "responsible_person" => form.ResponsiblePerson,
                "id_number" => form.IdNumber,
                "premises_address" => form.PremisesAddress,
                "floor_area" => string.IsNullOrEmpty(form.FloorArea) ? "" : form.FloorArea + " 平方米",
                "premises_tenure" => Option(Labels.PremisesTenures, form.PremisesTenure),
                "lease_end_date" => form.LeaseEndDate,
                "contact_phone" => form.ContactPhone,
                "licence_number" => form.LicenceNumber,
                "licence_valid_to" => form.LicenceValidTo,
                "suspend_from" => form.SuspendFrom,
                "suspend_until" => form.SuspendUntil,
                "change_items" => string.Join("、", form.ChangeItems.Select(c => Option(Apply.IndexModel.ChangeItemOptions, c))),
                "changed_on" => form.ChangedOn,
                "delivery" => Delivery(form),
                _ => null,
            };
            var asked = field.Requirement != FieldRequirement.NotAsked;
            if (value is not null && (asked || value.Length > 0))
            {
                facts.Add(new Fact(field.Label, value.Length > 0 ? value : "—"));
            }
        }

        // Not a form field of the spec: asked of every applicant beside the delivery choice.
        facts.Add(new Fact("电子送达", form.ElectronicServiceConsent ? "同意（文书在网上打开即视为送达）" : "未同意（邮寄或到大厅领取送达）"));
        return facts;
    }

    private static string Delivery(ApplicationForm form)
    {
        var method = Option(Labels.DeliveryMethods, form.DeliveryMethod);
        var recipient = string.Join(" ", new[] { form.RecipientName, form.RecipientPhone, form.DeliveryAddress }.Where(s => !string.IsNullOrEmpty(s)));
        return recipient.Length == 0 ? method : $"{method}：{recipient}";
    }

    private static string Option(IReadOnlyList<Option> options, string? value) =>
        options.FirstOrDefault(o => o.Value == value)?.Label ?? value ?? "";
}

/// <summary>One line of a request on a licence: what the licence says now, and what the request asks for.</summary>
public sealed record LicenceChange(string Label, string OnLicence, string Requested)
{
    public bool Changes => OnLicence != Requested;
}

/// <summary>
/// For 变更, 延续, 停业, 恢复营业, 歇业, 补办 and 注销: the licence as Certificate holds it beside the request, field by
/// field (licence value → requested value), so the officer sees what the decision would change.
/// </summary>
public static class LicenceChanges
{
    public static IReadOnlyList<LicenceChange> Of(string requestType, CertificateMessage licence, SubmitApplicationRequest filed)
    {
        var validity = $"自 {licence.ValidFrom} 至 {licence.ValidTo}";
        return requestType switch
        {
            RequestTypes.Change =>
            [
                new("企业名称（字号）", licence.HolderName, filed.BusinessName),
                new("负责人（经营者）", licence.ResponsiblePerson, filed.ResponsiblePerson),
                new("经营场所", licence.PremisesAddress, filed.PremisesAddress),
            ],
            RequestTypes.Renewal =>
            [
                new("有效期限", validity, $"延续：自原有效期届满次日起重新计算（申请人填报的有效期截止日 {Or(filed.LicenceValidTo)}）"),
            ],
            RequestTypes.Suspend =>
            [
                new("许可证状态", "有效", $"停业：自 {Or(filed.SuspendFrom)} 至 {Or(filed.SuspendUntil)}"),
            ],
            RequestTypes.Resume => [new("许可证状态", Status(licence.Status), "有效（恢复营业）")],
            RequestTypes.Close => [new("许可证状态", Status(licence.Status), "失效（歇业，收回许可证）")],
            RequestTypes.Cancel => [new("许可证状态", Status(licence.Status), "失效（注销）")],
            RequestTypes.Reissue =>
            [
                new("证件", LicenceLabels.Version(licence.Version, licence.Duplicate),
                    LicenceLabels.Version(licence.Version, licence.Duplicate + 1) + "（原证件作废）"),
            ],
            _ => [],
        };
    }

    private static string Status(string status) => LicenceLabels.StoredStatus(status);

    private static string Or(string text) => text.Length > 0 ? text : "未填写";
}

/// <summary>Numbers and words the case page shows the same way everywhere.</summary>
public static class CaseWords
{
    public static string Meters(double meters) => meters.ToString("0.#", CultureInfo.InvariantCulture) + " 米";

    public static string Degrees(double degrees) => degrees.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>受理, 核查, 审核, 审批 (the officer guard's words); 系统 for the deadline clock and events.</summary>
    public static string Role(string role) => role == "system" ? "系统" : OfficerGuard.RoleLabel(role);

    /// <summary>建议准予许可 or 建议不予许可.</summary>
    public static string Recommendation(string recommendation) =>
        recommendation == "Approve" ? "建议准予许可" : recommendation == "Deny" ? "建议不予许可" : recommendation;

    /// <summary>海盐县实验小学（学校）：19 米 — whole metres, as the rule's limits are written.</summary>
    public static string Nearby(Permits.Contracts.Review.V1.NearbyPlace place)
    {
        var name = place.Kind switch
        {
            "kindergarten" => $"{place.Name}（幼儿园）",
            "school" => $"{place.Name}（学校）",
            _ => place.Name,
        };
        return $"{name}：{place.Meters.ToString("0", CultureInfo.InvariantCulture)} 米";
    }
}
