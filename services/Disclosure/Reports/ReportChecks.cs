using System.Globalization;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The template's checks, as pure functions over a report however it was obtained (generated, stored, submitted):
/// a failure names the rule, the row and column, what was expected and what was found, in Chinese. A report with any
/// failure is not published.
/// </summary>
public static class ReportChecks
{
    public const string Structure = "表格结构";
    public const string Range = "数值范围";
    public const string Balance = "勾稽关系";
    public const string Totals = "合计";
    public const string CarryOver = "上年结转";
    public const string Records = "数据来源";
    public const string SourceNotes = "来源说明";
    public const string Integrity = "完整性";
    public const string PersonalInformation = "个人信息";

    /// <summary>
    /// What <see cref="PersonalInformationIn"/> refuses: identifiers only a natural person has. A landline, an e-mail
    /// address or a street address may be the bureau's own contact, so those are not refused.
    /// </summary>
    private static readonly HashSet<string> PersonalIdentifiers = ["身份证号码", "护照号码", "银行卡号", "手机号码"];

    /// <summary>Structure, ranges, 一 + 二 = 三 + 四 for every column, and every total equal to the sum of its parts.</summary>
    public static List<CheckFailure> Arithmetic(AnnualReport report)
    {
        var failures = new List<CheckFailure>();
        var table = report.Requests ?? new RequestTable();
        var appeals = report.Appeals ?? new AppealTable();
        CheckStructure(report, table, failures);
        CheckRanges(report, table, appeals, failures);

        // 一 + 二 = 三（七）总计 + 四, column by column (总计 included).
        foreach (var column in ReportTemplate.Columns)
        {
            var expected = (long)column.Cell(table.NewlyReceived ?? new()) + column.Cell(table.CarriedOver ?? new());
            var actual = (long)column.Cell(table.OutcomeTotal ?? new()) + column.Cell(table.CarriedForward ?? new());
            if (expected != actual)
            {
                failures.Add(Failure(Balance, "一 + 二 与 三（七）总计 + 四", column.Label, expected, actual,
                    $"勾稽关系不成立：“{column.Label}”列 第一项加第二项之和为 {expected}，第三项（七）总计加第四项之和为 {actual}，两者应相等。"));
            }
        }

        // Every row's 总计 is the sum of the six applicant columns.
        foreach (var (label, row) in ReportTemplate.Rows(table))
        {
            var parts = ReportGenerator.PartsOf(row);
            if (parts != row.Total)
            {
                failures.Add(Failure(Totals, label, "总计", parts, row.Total,
                    $"合计不符：“{label}”行的“总计”应为各申请人类别之和 {parts}，实为 {row.Total}。"));
            }
        }

        // 三（七）总计 is the sum of the outcome rows, column by column.
        var total = table.OutcomeTotal ?? new CategoryRow();
        foreach (var column in ReportTemplate.Columns)
        {
            var parts = table.Outcomes.Sum(o => (long)column.Cell(o.Counts ?? new CategoryRow()));
            var actual = column.Cell(total);
            if (parts != actual)
            {
                failures.Add(Failure(Totals, ReportTemplate.OutcomeTotalLabel, column.Label, parts, actual,
                    $"合计不符：“{ReportTemplate.OutcomeTotalLabel}”行“{column.Label}”列应为（一）至（六）各项之和 {parts}，实为 {actual}。"));
            }
        }

        // Section 四: each group's 总计 is the sum of its four results.
        foreach (var (label, select) in ReportTemplate.AppealGroups)
        {
            var group = select(appeals) ?? new AppealGroup();
            var parts = (long)group.Upheld + group.Corrected + group.Other + group.Pending;
            if (parts != group.Total)
            {
                failures.Add(Failure(Totals, "四、" + label, "总计", parts, group.Total,
                    $"合计不符：第四部分“{label}”的“总计”应为结果维持、结果纠正、其他结果、尚未审结之和 {parts}，实为 {group.Total}。"));
            }
        }

        return failures;
    }

    /// <summary>This year's 上年结转 equals last year's published 结转下年度, column by column.</summary>
    public static List<CheckFailure> CarriedOver(AnnualReport report, PublishedReport? previousYear)
    {
        var failures = new List<CheckFailure>();
        if (previousYear?.Report is not { } previous)
        {
            return failures;
        }

        var forward = previous.Requests?.CarriedForward ?? new CategoryRow();
        var over = report.Requests?.CarriedOver ?? new CategoryRow();
        foreach (var column in ReportTemplate.Columns)
        {
            var expected = column.Cell(forward);
            var actual = column.Cell(over);
            if (expected != actual)
            {
                failures.Add(Failure(CarryOver, ReportTemplate.CarriedOverLabel, column.Label, expected, actual,
                    $"上年结转不符：“{column.Label}”列的上年结转应等于 {previous.Year} 年度报告（第 {previousYear.Version} 版）的结转下年度 {expected}，实为 {actual}。"));
            }
        }

        return failures;
    }

    /// <summary>Every cell the system owns equals what its records say now (so a hand-changed table is caught).</summary>
    public static List<CheckFailure> AgainstRecords(AnnualReport report, OwnedFigures owned)
    {
        var failures = new List<CheckFailure>();
        var licensing = report.Active?.Licensing?.Decisions ?? 0;
        if (licensing != owned.LicensingDecisions)
        {
            failures.Add(Failure(Records, "第二十条第（五）项 行政许可", "处理决定数量", owned.LicensingDecisions, licensing,
                $"与记录不符：行政许可处理决定数量按政务公开记录应为 {owned.LicensingDecisions}，报告中为 {licensing}。"));
        }

        var mine = ReportTemplate.Rows(report.Requests ?? new RequestTable()).ToList();
        var theirs = ReportTemplate.Rows(owned.Requests).ToList();
        if (mine.Count == theirs.Count)
        {
            for (var i = 0; i < mine.Count; i++)
            {
                foreach (var column in ReportTemplate.Columns)
                {
                    var expected = column.Cell(theirs[i].Row);
                    var actual = column.Cell(mine[i].Row);
                    if (expected != actual)
                    {
                        failures.Add(Failure(Records, theirs[i].Label, column.Label, expected, actual,
                            $"与记录不符：“{theirs[i].Label}”行“{column.Label}”列按依申请公开记录应为 {expected}，报告中为 {actual}。"));
                    }
                }
            }
        }

        foreach (var (label, select) in ReportTemplate.AppealGroups)
        {
            var expectedGroup = select(owned.Appeals) ?? new AppealGroup();
            var actualGroup = select(report.Appeals ?? new AppealTable()) ?? new AppealGroup();
            foreach (var (cell, value) in ReportTemplate.AppealCells)
            {
                if (value(expectedGroup) != value(actualGroup))
                {
                    failures.Add(Failure(Records, "四、" + label, cell, value(expectedGroup), value(actualGroup),
                        $"与记录不符：第四部分“{label}”的“{cell}”按复议、诉讼记录应为 {value(expectedGroup)}，报告中为 {value(actualGroup)}。"));
                }
            }
        }

        return failures;
    }

    /// <summary>Every row the clerk enters names where its figures come from.</summary>
    public static List<CheckFailure> Sources(AnnualReport report) =>
    [
        .. SourceRows(report)
            .Where(r => string.IsNullOrWhiteSpace(r.Source))
            .Select(r => Failure(SourceNotes, r.Row, "来源", 1, 0, $"缺少来源说明：“{r.Row}”须注明数据来源（文件、台账或系统名称）。")),
    ];

    /// <summary>
    /// The report is published as its bureau wrote it, so its own words (一、五、六 and the source notes) must name no
    /// one: a resident ID, passport, bank card or mobile number there is refused (<see cref="PersonalIdentifiers"/>),
    /// each where it stands, shown masked. The same detection as every other public text (<see cref="PersonalData"/>).
    /// </summary>
    public static List<CheckFailure> PersonalInformationIn(AnnualReport report)
    {
        (string Row, string Column, string? Text)[] texts =
        [
            ("一、总体情况", "正文", report.Overview),
            ("五、存在的主要问题及改进情况", "正文", report.Problems),
            ("六、其他需要报告的事项", "正文", report.OtherMatters),
            .. SourceRows(report).Select(r => (r.Row, "来源", r.Source)),
        ];
        return
        [
            .. texts
                .Where(t => !string.IsNullOrEmpty(t.Text))
                .SelectMany(t => PersonalData.Findings(t.Text!)
                    .Where(f => PersonalIdentifiers.Contains(f.Kind))
                    .Select(f => Failure(PersonalInformation, t.Row, t.Column, 0, 1,
                        $"含有个人信息：“{t.Row}”的{t.Column}中有{f.Kind}（{f.Published}）。年度报告按原文公开，请删去后再检查。"))),
        ];
    }

    private static (string Row, string? Source)[] SourceRows(AnnualReport report)
    {
        var active = report.Active ?? new ActiveDisclosure();
        return
        [
            ("第二十条第（一）项 规章", active.Rules?.Source),
            ("第二十条第（一）项 规范性文件", active.NormativeDocuments?.Source),
            ("第二十条第（五）项 行政许可（上一年项目数量、本年增/减）", active.Licensing?.Source),
            ("第二十条第（五）项 其他对外管理服务事项", active.OtherServices?.Source),
            ("第二十条第（六）项 行政处罚", active.Penalties?.Source),
            ("第二十条第（六）项 行政强制", active.Enforcement?.Source),
            ("第二十条第（八）项 行政事业性收费", active.Fees?.Source),
            ("第二十条第（九）项 政府集中采购", active.Procurement?.Source),
        ];
    }

    private static void CheckStructure(AnnualReport report, RequestTable table, List<CheckFailure> failures)
    {
        if (report.Year < 2008 || report.CountyCode.Length != 6)
        {
            failures.Add(Failure(Structure, "报告", "年度/县", 0, 0, $"报告须注明六位县级区划代码和年度（2008 年及以后），实为“{report.CountyCode}”“{report.Year}”。"));
        }

        var expected = ReportTemplate.Outcomes.Select(o => o.Outcome.ToString()).ToList();
        var actual = table.Outcomes.Select(o => o.Outcome).ToList();
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            failures.Add(Failure(Structure, "三、本年度办理结果", "行", expected.Count, actual.Count,
                $"表格结构不符：本年度办理结果应按模板依次列出 {expected.Count} 行（予以公开至其他处理），实为 {actual.Count} 行或顺序不同。"));
        }

        if (table.NewlyReceived is null || table.CarriedOver is null || table.OutcomeTotal is null || table.CarriedForward is null)
        {
            failures.Add(Failure(Structure, "三、收到和处理政府信息公开申请情况", "行", 4, 0, "表格结构不符：第三部分缺少一、二、三（七）总计或四行。"));
        }
    }

    private static void CheckRanges(AnnualReport report, RequestTable table, AppealTable appeals, List<CheckFailure> failures)
    {
        void NotNegative(string row, string column, long value)
        {
            if (value < 0)
            {
                failures.Add(Failure(Range, row, column, 0, value, $"数值无效：“{row}”的“{column}”不能为负数，实为 {value}。"));
            }
        }

        foreach (var (label, row) in ReportTemplate.Rows(table))
        {
            foreach (var column in ReportTemplate.Columns)
            {
                NotNegative(label, column.Label, column.Cell(row));
            }
        }

        foreach (var (label, select) in ReportTemplate.AppealGroups)
        {
            var group = select(appeals) ?? new AppealGroup();
            foreach (var (cell, value) in ReportTemplate.AppealCells)
            {
                NotNegative("四、" + label, cell, value(group));
            }
        }

        var active = report.Active ?? new ActiveDisclosure();
        foreach (var (name, row) in new[] { ("规章", active.Rules), ("规范性文件", active.NormativeDocuments) })
        {
            var r = row ?? new DocumentRow();
            NotNegative(name, "本年新制作数量", r.NewlyMade);
            NotNegative(name, "本年新公开数量", r.NewlyPublished);
            NotNegative(name, "对外公开总数量", r.TotalPublished);
        }

        foreach (var (name, row) in new[]
                 {
                     ("行政许可", active.Licensing), ("其他对外管理服务事项", active.OtherServices),
                     ("行政处罚", active.Penalties), ("行政强制", active.Enforcement),
                 })
        {
            var r = row ?? new ItemRow();
            NotNegative(name, "上一年项目数量", r.PreviousYearItems);
            NotNegative(name, "处理决定数量", r.Decisions);
            NotNegative(name, "本年项目数量（上一年项目数量 + 本年增/减）", (long)r.PreviousYearItems + r.ChangeThisYear);
        }

        var fees = active.Fees ?? new FeeRow();
        NotNegative("行政事业性收费", "上一年项目数量", fees.PreviousYearItems);
        NotNegative("行政事业性收费", "本年项目数量（上一年项目数量 + 本年增/减）", (long)fees.PreviousYearItems + fees.ChangeThisYear);
        var procurement = active.Procurement ?? new ProcurementRow();
        NotNegative("政府集中采购", "采购项目数量", procurement.Items);
        if (!TryAmount(procurement.TotalAmount, out _))
        {
            failures.Add(Failure(Range, "政府集中采购", "采购总金额", 0, 0,
                $"数值无效：“政府集中采购”的“采购总金额”应为不小于 0 的金额（万元，最多 4 位小数），实为“{procurement.TotalAmount}”。"));
        }
    }

    /// <summary>采购总金额 in 万元: a non-negative decimal with at most 4 places (empty reads as 0).</summary>
    public static bool TryAmount(string text, out decimal amount)
    {
        amount = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        return decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount)
            && amount >= 0 && amount.Scale <= 4 && amount < 100_000_000m;
    }

    private static CheckFailure Failure(string rule, string row, string column, long expected, long actual, string message) => new()
    {
        Rule = rule,
        Row = row,
        Column = column,
        Expected = expected,
        Actual = actual,
        Message = message,
    };
}
