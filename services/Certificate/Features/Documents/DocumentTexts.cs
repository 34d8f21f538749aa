using System.Globalization;
using Permits.Certificate.Documents;
using Permits.Contracts.Documents;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// What each formal document says, from the facts the step that issued it recorded (pure). The wording follows the
/// national forms and cites the 行政许可法 articles each step rests on; the refusals print the grounds chosen one per
/// line, the officer's own reasons, and the 复议/诉讼 notice Review wrote (its one place).
/// </summary>
public static class DocumentTexts
{
    private static string Filed(ApplicantFacts applicant)
    {
        var on = applicant.SubmittedAt is { } at ? $"于{DocumentDates.Plain(ChinaTime.DateOf(at))}" : "";
        var number = applicant.Known ? $"（申请编号：{applicant.ApplicationNumber}）" : "";
        return $"你（单位）{on}提出的烟草专卖零售许可证{Matter(applicant)}申请{number}";
    }

    /// <summary>"；办公时间：…；联系电话：…" of the hall in force, each only when known.</summary>
    private static string Contact(County county) =>
        (county.ServiceHallHours.Length > 0 ? $"；办公时间：{county.ServiceHallHours}" : "") +
        (county.ServiceHallPhone.Length > 0 ? $"；联系电话：{county.ServiceHallPhone}" : "");

    private static string Matter(ApplicantFacts applicant) =>
        RequestTypes.TryGet(applicant.RequestType, out var type) && type.Code != RequestTypes.New ? type.Label : "";

    public static OfficialDocumentContent Correction(CorrectionRequested message, ApplicantFacts applicant, County county)
    {
        List<DocumentBlock> body =
        [
            new Paragraph($"{Filed(applicant)}，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》" +
                          "第三十二条第一款第（四）项的规定，请你（单位）补正以下材料："),
        ];
        body.AddRange(message.Items.Select((item, i) => new Paragraph($"{i + 1}. {item.Material}：{item.Reason}", Indent: false)));
        body.Add(new Paragraph($"请通过网上办事平台补正后重新提交，或者到{county.ServiceHallAddress}办理。" +
                               "补正期间不计入审批期限；本局自收到全部补正材料之日起受理。"));
        return new(OfficialDocuments.Get(OfficialDocuments.Correction), message.DocumentNumber, county.Authority, applicant.Name, body,
            ChinaTime.DateOf(message.RequestedAt));
    }

    public static OfficialDocumentContent Acceptance(ApplicationAccepted message, ApplicantFacts applicant, County county)
    {
        var accepted = ChinaTime.DateOf(message.AcceptedAt);
        var provisional = message.DueDateProvisional ? "（该日期按双休日推算，以国务院公布的节假日安排为准）" : "";
        List<DocumentBlock> body =
        [
            new Paragraph($"{Filed(applicant)}，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款" +
                          $"第（五）项的规定，本局决定予以受理，受理日期为{DocumentDates.Plain(accepted)}。"),
            new Paragraph($"本局将自受理之日起二十个工作日内作出行政许可决定，即不迟于{DocumentDates.Plain(message.DecisionDueBy)}{provisional}。" +
                          "依法需要实地核查、听证的，所需时间不计算在内；二十个工作日内不能作出决定的，经本局负责人批准可以延长十个工作日，并将告知你（单位）。"),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.Acceptance), message.DocumentNumber, county.Authority, applicant.Name, body, accepted);
    }

    public static OfficialDocumentContent NotAccepted(ApplicationNotAccepted message, ApplicantFacts applicant, County county) =>
        Refusal(OfficialDocuments.NotAccepted, message.DocumentNumber, applicant, county, ChinaTime.DateOf(message.DecidedAt),
            "经审查，本局决定不予受理。根据《中华人民共和国行政许可法》第三十二条第一款的规定，理由如下：",
            message.Grounds, message.Reasons, message.RemedyNotice);

    public static OfficialDocumentContent Denial(LicenceDenied message, ApplicantFacts applicant, County county) =>
        Refusal(OfficialDocuments.Denial, message.DocumentNumber, applicant, county, ChinaTime.DateOf(message.DeniedAt),
            "经审查，你（单位）的申请不符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第二款的规定，本局决定不予行政许可，理由如下：",
            message.Grounds, message.Reasons, message.RemedyNotice);

    private static OfficialDocumentContent Refusal(
        string kind, string number, ApplicantFacts applicant, County county, DateOnly date, string decision,
        IReadOnlyList<RefusalGround> grounds, IReadOnlyList<string> reasons, string remedy)
    {
        List<DocumentBlock> body = [new Paragraph($"{Filed(applicant)}，{decision}")];
        body.AddRange((grounds ?? []).Select((ground, i) => new Paragraph($"（{DocumentDates.Numeral(i + 1)}）{ground.Text}", Indent: false)));
        var stated = (reasons ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        if (stated.Count > 0)
        {
            body.Add(new Paragraph(grounds is { Count: > 0 } ? "具体情况：" : "", Indent: false));
            body.AddRange(stated.Select((reason, i) => new Paragraph($"{i + 1}. {reason.Trim()}", Indent: false)));
        }

        body.Add(new Paragraph(remedy));
        return new(OfficialDocuments.Get(kind), number, county.Authority, applicant.Name, body.Where(NotEmpty).ToList(), date);
    }

    private static bool NotEmpty(DocumentBlock block) => block is not Paragraph { Text.Length: 0 };

    public static OfficialDocumentContent Inspection(SiteInspected message, ApplicantFacts applicant, County county)
    {
        var distances = message.Distances.Count == 0
            ? "—"
            : string.Join("；", message.Distances.Select(d => $"{d.Target} {d.Meters.ToString("0.##", CultureInfo.InvariantCulture)} 米"));
        List<DocumentBlock> body =
        [
            new FormRow("申请人", applicant.Name),
            new FormRow("申请编号", applicant.ApplicationNumber),
            new FormRow("经营场所", applicant.PremisesAddress ?? ""),
            new FormRow("核查日期", DocumentDates.Plain(message.InspectedOn)),
            new FormRow("核查人员", $"{message.FirstInspectorId}、{message.SecondInspectorId}（二人）"),
            new FormRow("实测经营面积", $"{message.MeasuredFloorArea.ToString("0.##", CultureInfo.InvariantCulture)} 平方米"),
            new FormRow("测量距离", distances),
            new FormRow("核查情况", message.Findings),
            new FormRow("现场照片", message.PhotoReferences.Count == 0 ? "无" : $"{message.PhotoReferences.Count} 张，存于案卷"),
            new FormRow("核查结论", message.PremisesCompliant ? "经营场所符合规定条件" : "经营场所不符合规定条件"),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.Inspection), message.DocumentNumber, county.Authority, applicant.Name, body, message.InspectedOn);
    }

    public static OfficialDocumentContent Opinion(ReviewOpinionRecorded message, ApplicantFacts applicant, County county)
    {
        List<DocumentBlock> body =
        [
            new FormRow("申请人", applicant.Name),
            new FormRow("申请编号", applicant.ApplicationNumber),
            new FormRow("申请事项", $"烟草专卖零售许可证{Matter(applicant)}"),
            new FormRow("审核意见", ProposesRefusal(message) ? "建议不予行政许可" : "建议准予行政许可"),
            new FormRow("意见说明", message.Opinion),
            new FormRow("审核人", message.OfficerId),
            new FormRow("审核日期", DocumentDates.Plain(ChinaTime.DateOf(message.RecordedAt))),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.Opinion), message.DocumentNumber, county.Authority, applicant.Name, body,
            ChinaTime.DateOf(message.RecordedAt));
    }

    /// <summary>
    /// The rule for 听证权利告知书: it is issued when the reviewer's opinion proposes refusal, before the head decides.
    /// 行政许可法 Art. 47 requires the notice before a decision where the licence directly concerns major interests of the
    /// applicant and others; a refusal of a retail licence on 合理布局 (distance) grounds is that case, and a proposed
    /// refusal is the last point before the decision at which the right can still be exercised (Art. 46–47: request
    /// within five days of the notice, hearing within twenty). A proposed approval gives no one a hearing right here.
    /// </summary>
    public static bool ProposesRefusal(ReviewOpinionRecorded message) =>
        string.Equals(message.Recommendation, "Deny", StringComparison.OrdinalIgnoreCase);

    public static OfficialDocumentContent HearingNotice(ReviewOpinionRecorded message, string number, ApplicantFacts applicant, County county)
    {
        List<DocumentBlock> body =
        [
            new Paragraph($"{Filed(applicant)}，经审核，本局拟作出不予行政许可的决定（审核意见 {message.DocumentNumber}）。"),
            new Paragraph("该许可事项直接关系你（单位）的重大利益。根据《中华人民共和国行政许可法》第四十七条的规定，你（单位）" +
                          "有要求听证的权利。如要求听证，请自收到本告知书之日起五日内向本局书面提出；本局将在收到申请之日起二十日内组织听证，" +
                          "听证不收取费用。逾期未提出的，视为放弃听证权利。"),
            new Paragraph($"联系地址：{county.ServiceHallAddress}{Contact(county)}。"),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.HearingNotice), number, county.Authority, applicant.Name, body,
            ChinaTime.DateOf(message.RecordedAt));
    }

    public static OfficialDocumentContent Extension(DecisionPeriodExtended message, ApplicantFacts applicant, County county)
    {
        var provisional = message.DueDateProvisional ? "（该日期按双休日推算，以国务院公布的节假日安排为准）" : "";
        List<DocumentBlock> body =
        [
            new Paragraph($"{Filed(applicant)}，本局已依法受理。因{message.Reason.Trim().TrimEnd('。')}，" +
                          "二十个工作日内不能作出行政许可决定。"),
            new Paragraph("经本局负责人批准，根据《中华人民共和国行政许可法》第四十二条第一款的规定，审批期限延长十个工作日，" +
                          $"本局将于{DocumentDates.Plain(message.DecisionDueBy)}前作出行政许可决定{provisional}。"),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.Extension), message.DocumentNumber, county.Authority, applicant.Name, body,
            ChinaTime.DateOf(message.ExtendedAt));
    }

    public static OfficialDocumentContent Approval(LicenceApproved message, ApplicantFacts applicant, County county)
    {
        var matter = Matter(applicant);
        List<DocumentBlock> body =
        [
            new Paragraph($"{Filed(applicant)}，经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款、" +
                          $"《中华人民共和国烟草专卖法》及其实施条例的规定，本局决定准予{(matter.Length > 0 ? matter : "烟草专卖零售许可")}。"),
            new FormRow("企业（字号）名称", message.BusinessName),
            new FormRow("负责人（经营者）", message.ResponsiblePerson),
            new FormRow("经营场所", message.PremisesAddress),
            new FormRow("许可范围", LicensingDisclosure.RetailScope),
            new Paragraph($"烟草专卖零售许可证由本局制发，将按你（单位）选择的方式送达（邮寄或到{county.ServiceHallAddress}领取）。" +
                          "请依法亮证经营，许可事项发生变化的，应当依法申请变更。"),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.Approval), message.DocumentNumber, county.Authority, message.BusinessName, body,
            ChinaTime.DateOf(message.ApprovedAt));
    }

    /// <summary>The facts of one service (送达), as its 送达回证 records them.</summary>
    public sealed record Service(
        OfficialDocumentKind Served, string ServedNumber, ServiceMethod Method, DateTimeOffset ServedAt, string Recipient,
        string Server, string Place);

    public static OfficialDocumentContent ServiceReceipt(Service service, string number, string addressee, County county)
    {
        List<DocumentBlock> body =
        [
            new FormRow("送达文书名称及文号", $"{service.Served.Title}（{service.ServedNumber}）"),
            new FormRow("受送达人", addressee),
            new FormRow("送达方式", MethodLabel(service.Method)),
            new FormRow("送达地点", service.Place),
            new FormRow("送达时间", DocumentDates.Moment(service.ServedAt)),
            new FormRow("受送达人签收", service.Recipient),
            new FormRow("送达人", service.Server),
            new FormRow("备注", service.Method == ServiceMethod.Electronic
                ? "受送达人提交申请时同意电子送达，以其在网上办事平台首次打开文书的时间为送达时间。"
                : ""),
        ];
        return new(OfficialDocuments.Get(OfficialDocuments.ServiceReceipt), number, county.Authority, addressee, body,
            ChinaTime.DateOf(service.ServedAt));
    }

    public static string MethodLabel(ServiceMethod method) => method switch
    {
        ServiceMethod.Electronic => "电子送达",
        ServiceMethod.Post => "邮寄送达",
        _ => "直接送达",
    };
}
