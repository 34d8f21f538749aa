using Permits.Contracts;
using Permits.Contracts.Intake;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;

namespace Permits.Certificate.Tests;

/// <summary>
/// Review's events for one application of 海盐县, as the steps publish them, with fresh document numbers: what the
/// formal documents are generated from.
/// </summary>
internal sealed class CaseDocumentEvents(Guid applicationId, string applicationNumber)
{
    public const string County = "330424";
    public const string Bureau = "海盐县烟草专卖局";
    public const string BusinessName = "海盐县武原街道便民烟杂店";

    /// <summary>Review's 复议/诉讼 notice for 海盐县 (ReviewDisclosures.RemedyNotice).</summary>
    public const string Remedy = "如不服本决定，可以自收到本决定书之日起六十日内向海盐县烟草专卖局的上一级烟草专卖行政主管部门或者本级人民政府申请行政复议，" +
                                 "也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。";

    private static int _serial = Random.Shared.Next(1000, 50000);

    public Guid ApplicationId { get; } = applicationId;
    public Guid CaseId { get; } = Guid.NewGuid();
    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow.AddMinutes(-30);

    public static string Number(string series) => $"盐烟专{series}〔2026〕第{Interlocked.Increment(ref _serial):D5}号";

    /// <summary>An application the shopkeeper filed in the real Intake, announced to Certificate, which keeps it.</summary>
    public static async Task<CaseDocumentEvents> FiledAsync(
        CertificateHost host, IntakeServer intake, string phoneNumber, bool consent, DeliveryMethod delivery = DeliveryMethod.Courier)
    {
        var submitted = await intake.SubmitAsync(phoneNumber);
        var events = new CaseDocumentEvents(Guid.Parse(submitted.ApplicationId), submitted.ApplicationNumber);
        await host.PublishAsync(events.Submitted(consent, delivery));
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM licence_requests WHERE application_id = @Id", new { Id = events.ApplicationId }) == 1,
            "Certificate keeps the application");
        return events;
    }

    /// <summary>Publishes a step's event and waits until Certificate has issued its document.</summary>
    public static async Task IssuedAsync<T>(CertificateHost host, T message, string number) where T : class
    {
        await host.PublishAsync(message);
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM official_documents WHERE number = @Number", new { Number = number }) == 1,
            $"document {number} is issued");
    }

    public ApplicationSubmitted Submitted(bool consent, DeliveryMethod delivery = DeliveryMethod.Courier) =>
        new(ApplicationId, applicationNumber, County, RequestTypes.New, "IndividualBusiness", BusinessName, null, "王建国",
            "浙江省嘉兴市海盐县武原街道盐湖路 1 号", 42.5m, null,
            new DeliveryChoice(delivery, "王建国", "13800571234", delivery == DeliveryMethod.Courier ? "海盐县武原街道盐湖路 1 号" : null),
            At.AddDays(-3))
        {
            ElectronicServiceConsent = consent,
        };

    public CorrectionRequested Correction() => new(ApplicationId, CaseId, County, Number("许补"),
        [new CorrectionItem("场所使用证明", "租赁合同未签字，请补充出租方签字的合同"), new CorrectionItem("身份证明", "复印件不清晰")], "o-hy-clerk", At);

    public ApplicationAccepted Accepted() => new(ApplicationId, CaseId, County, Number("许受"), "o-hy-clerk", At, new DateOnly(2027, 1, 5), false);

    public ApplicationNotAccepted NotAccepted() => new(ApplicationId, CaseId, County, Number("许不受"), ["申请事项不属于本机关职权范围"], Remedy, "o-hy-clerk", At)
    {
        Grounds = [new RefusalGround("NotInJurisdiction", "申请事项依法不属于本机关职权范围（《中华人民共和国行政许可法》第三十二条第一款第（二）项）")],
    };

    public SiteInspected Inspected() => new(ApplicationId, CaseId, County, Number("许核"), new DateOnly(2026, 12, 3), "o-hy-insp1", "o-hy-insp2",
        "经营场所独立，与住所分开，未发现违规情形", 32.5m, [new MeasuredDistance("最近零售户", 120m), new MeasuredDistance("最近学校", 260m)], ["p1", "p2"], true, At);

    public ReviewOpinionRecorded Opinion(string recommendation) =>
        new(ApplicationId, CaseId, County, Number("许审"), recommendation, "距最近零售户不足规定距离，建议不予许可", "o-hy-reviewer", At);

    public DecisionPeriodExtended Extended() => new(ApplicationId, CaseId, County, Number("许延"), "需补充实地核查", "o-hy-head", At, new DateOnly(2027, 1, 19), false);

    public LicenceApproved Approved() => new(ApplicationId, CaseId, applicationNumber, County, "IndividualBusiness", BusinessName, null, "王建国",
        "浙江省嘉兴市海盐县武原街道盐湖路 1 号", null, Number("许准"), "o-hy-head", At, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)));

    public LicenceDenied Denied() => new(ApplicationId, CaseId, County, Number("许不准"), ["经营场所与最近零售户的距离为 32 米"], Remedy, "o-hy-head", At,
        DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)))
    {
        Grounds =
        [
            new RefusalGround("Layout", "不符合本县烟草制品零售点合理布局规定（《中华人民共和国烟草专卖法实施条例》第十二条）"),
            new RefusalGround("Premises", "经营场所不符合规定条件"),
        ],
    };
}
