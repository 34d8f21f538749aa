using OpenQA.Selenium;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>
/// Issue 14 in a desktop browser: the four officers of 海盐县 each take their step on the case page (the clerk accepts
/// one application and asks a correction on another, the inspector records the site visit with distances and the
/// premises' coordinates, the reviewer writes the opinion), and the head decides with all of it on the page, through a
/// confirmation step that a bare POST cannot skip. A site the layout check fails cannot be approved until the head
/// records reasons. The applications are filed over gRPC: the shopkeeper's form has its own browser tests.
/// </summary>
public sealed class When_the_county_officers_decide_a_new_licence : IAsyncLifetime
{
    private const string Findings = "门头与申报一致，柜台独立，未见其他经营者。";
    private const string Opinion = "材料齐全，实地核查符合条件，布局核查通过，建议准予许可。";

    /// <summary>Far from every outlet and school of the demo layout data: the layout check passes.</summary>
    private const string ClearLatitude = "30.54000";
    private const string ClearLongitude = "120.93000";

    /// <summary>19 m from 海盐县实验小学 (the limit is 50 m): the layout check fails.</summary>
    private const string NearSchoolLatitude = "30.52715";
    private const string NearSchoolLongitude = "120.94425";

    private readonly Browser _browser = new();

    public async Task InitializeAsync()
    {
        // Without chromium the [BrowserFact] tests are skipped (outside CI), so nothing needs starting.
        if (Browser.IsInstalled || Browser.UnderCi)
        {
            await _browser.StartAsync(1280, 900, new Dictionary<string, string?> { ["Intake:Materials:Required"] = "false" });
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [BrowserFact]
    public async Task Should_show_the_head_every_recorded_fact_and_approve_only_when_confirmed()
    {
        var b = _browser;
        var leased = SampleApplications.Individual();
        var casePath = await FileAsync(leased);
        var corrected = await FileAsync(SampleApplications.Enterprise());

        // The clerk reads the application as filed, in words, and accepts it.
        b.SignInAsOfficer("hy-clerk", "/officer");
        b.Go(casePath);
        b.WaitForText(leased.BusinessName);
        var filed = b.Find(By.Id("filed")).Text;
        Assert.Contains("个体工商户", filed);
        Assert.Contains(leased.ResponsiblePerson, filed);
        Assert.Contains(leased.IdNumber, filed);
        Assert.Contains(leased.ContactPhone, filed);
        Assert.Contains("42.5 平方米", filed);
        Assert.Contains("租赁", filed);
        Assert.Contains("租赁期限届满日", filed);
        Assert.DoesNotContain("IndividualBusiness", b.Driver.PageSource);
        Assert.DoesNotContain("租期", b.Text);
        b.Click(By.XPath("//button[starts-with(normalize-space(), '受理')]"));
        b.WaitForText("已受理");

        // On the other application the clerk asks a correction instead.
        b.Go(corrected);
        b.Type("items", "场所使用证明：请上传房产证复印件");
        b.Click(By.XPath("//button[normalize-space()='出具补正材料告知书']"));
        b.WaitForText("已出具补正材料告知书");

        // The inspector records the visit with the measured distances and where the premises are, the reviewer
        // writes the opinion, and the head sees all of it on the case page.
        InspectReviewAndOpenForTheHead(b, casePath, ClearLatitude, ClearLongitude);
        b.WaitForText(Opinion);
        Assert.Contains(Findings, b.Find(By.Id("inspection")).Text);
        Assert.Contains("35.5 平方米", b.Text);
        Assert.Contains("最近零售户：120 米", b.Text);
        Assert.Contains("海盐县实验小学校门：800 米", b.Text);
        Assert.Contains("经营场所符合条件", b.Text);
        Assert.Contains("北纬 30.54", b.Text);
        Assert.Contains("不少于 50 米", b.Text);
        Assert.Contains("与零售户间距", b.Text);
        Assert.Contains("周边密度", b.Text);
        Assert.Contains("建议准予许可", b.Text);
        Assert.Contains("登记实地核查", b.Find(By.Id("history")).Text);
        b.Screenshot("officer-case-head-1280");

        // A POST of the decision without the confirmation token shows the summary and decides nothing.
        Assert.Contains("确认：准予行政许可", PostWithoutConfirmation(b, casePath, "Approve", "forged"));
        b.Go(casePath);
        Assert.DoesNotContain("决定书", b.Find(By.Id("history")).Text);
        Assert.True(b.Has(By.XPath("//button[normalize-space()='准予行政许可…']")));

        // The head decides through the confirmation page: what will happen, the document it issues.
        b.Click(By.XPath("//button[normalize-space()='准予行政许可…']"));
        b.WaitForText("确认：准予行政许可");
        Assert.Contains("准予行政许可决定书（烟草专卖零售许可证核发）", b.Text);
        Assert.Contains("决定作出后不能撤回", b.Text);
        b.Screenshot("officer-confirm-approve-1280");
        b.Click(By.XPath("//button[normalize-space()='确认准予行政许可']"));
        b.WaitForText("已准予许可");

        // The same page on a phone.
        b.OpenAnother(360, 800);
        b.SignInAsOfficer("hy-head", "/officer");
        b.Go(casePath);
        b.WaitForText(Opinion);
        b.Screenshot("officer-case-head-360");
    }

    [BrowserFact]
    public async Task Should_refuse_approval_of_a_site_too_near_a_school_until_the_head_gives_reasons()
    {
        var b = _browser;
        var casePath = await FileAsync(SampleApplications.Individual());
        b.SignInAsOfficer("hy-clerk", "/officer");
        b.Go(casePath);
        b.Click(By.XPath("//button[starts-with(normalize-space(), '受理')]"));
        b.WaitForText("已受理");
        InspectReviewAndOpenForTheHead(b, casePath, NearSchoolLatitude, NearSchoolLongitude);
        b.WaitForText("不符合合理布局规定");
        Assert.Contains("海盐县实验小学", b.Find(By.Id("decision-blockers")).Text);

        // Confirmed without reasons: refused, nothing decided, and the reasons box says why.
        b.Click(By.XPath("//button[normalize-space()='准予行政许可…']"));
        b.WaitForText("确认：准予行政许可");
        Assert.True(b.Has(By.Id("override_reasons")));
        b.Click(By.XPath("//button[normalize-space()='确认准予行政许可']"));
        Assert.Contains("理由", b.Find(By.Id("override_reasons-error")).Text);
        Assert.DoesNotContain("已准予许可", b.Text);
        b.Screenshot("officer-confirm-override-1280");

        // With reasons the head may decide otherwise; the reasons stay on the case.
        const string reason = "学校已于本年迁址，原址改作社区服务中心，经实地复核不受影响。";
        b.Type("override_reasons", reason);
        b.Click(By.XPath("//button[normalize-space()='确认准予行政许可']"));
        b.WaitForText("已准予许可");
        b.RefreshUntil(() => b.Text.Contains("不采纳核查结论的理由", StringComparison.Ordinal), "the override reasons on the decided case");
        Assert.Contains(reason, b.Text);
    }

    /// <summary>The inspector's visit at the point given, the reviewer's opinion, then the head signed in at the case page.</summary>
    private static void InspectReviewAndOpenForTheHead(Browser b, string casePath, string latitude, string longitude)
    {
        SignInAs(b, "hy-inspector1");
        RecordInspection(b, casePath, latitude, longitude);
        SignInAs(b, "hy-reviewer");
        WriteOpinion(b, casePath);
        SignInAs(b, "hy-head");
        b.Go(casePath);
    }

    private static void SignInAs(Browser b, string username)
    {
        b.SignOut();
        b.SignInAsOfficer(username, "/officer");
    }

    private static void RecordInspection(Browser b, string casePath, string latitude, string longitude)
    {
        b.Go(casePath);
        b.Type("second_inspector_id", "o-hy-inspector2");
        b.Type("measured_floor_area", "35.5");
        b.Type("latitude", latitude);
        b.Type("longitude", longitude);
        b.Type("findings", Findings);
        b.Type("distances", "最近零售户：120\n海盐县实验小学校门：800");
        b.Type("photo_references", "P0001");
        b.Check("compliant");
        b.Click(By.XPath("//button[normalize-space()='登记实地核查记录']"));
        b.WaitForText("已登记实地核查记录");
    }

    private static void WriteOpinion(Browser b, string casePath)
    {
        b.Go(casePath);
        b.Choose("recommendation");
        b.Type("opinion", Opinion);
        b.Click(By.XPath("//button[normalize-space()='提出审核意见']"));
        b.WaitForText("已提出审核意见");
    }

    /// <summary>Posts the act's form from the browser, with the page's antiforgery token but a made-up confirmation; returns the page it answers.</summary>
    private static string PostWithoutConfirmation(Browser b, string casePath, string handler, string confirmation)
    {
        b.Go(casePath);
        b.Driver.ExecuteScript("""
            const form = document.createElement('form');
            form.method = 'post';
            form.action = arguments[0];
            for (const [name, value] of [['__RequestVerificationToken', document.querySelector("input[name='__RequestVerificationToken']").value], ['confirmation', arguments[1]]]) {
              const input = document.createElement('input');
              input.type = 'hidden'; input.name = name; input.value = value;
              form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
            """, $"{casePath}?handler={handler}", confirmation);
        b.WaitForText("确认：");
        return b.Text;
    }

    private async Task<string> FileAsync(SubmitApplicationRequest form) => (await CaseFiling.FileAsync(_browser, form)).CasePath;
}
