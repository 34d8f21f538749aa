using System.Globalization;
using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Reports;
using Permits.Testing;

namespace Permits.Reports.Tests;

/// <summary>Disclosure records, entries and requests as the rest of the system produces them.</summary>
public static class Samples
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>A licensing decision (准予许可 or 不予许可) decided on a day, with its 双公示 fields.</summary>
    public static DisclosureRecorded Decision(string county, DateOnly decided, string kind = DisclosureKinds.LicenceApproved, bool withDecisionDate = true)
    {
        var applicationId = Guid.NewGuid();
        var fields = new Dictionary<string, string>
        {
            ["XK_XDR_MC"] = "海盐县武原街道某某便利店",
            ["XK_XKLB"] = "普通",
            ["XK_XKJG"] = "海盐县烟草专卖局",
        };
        if (withDecisionDate)
        {
            fields["XK_JDRQ"] = decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return new DisclosureRecorded(
            Guid.NewGuid(), kind, applicationId, $"{county}-{decided:yyyyMMdd}-{applicationId.ToString("N")[..5]}", county,
            "海盐县烟草专卖局", new DateTimeOffset(decided.ToDateTime(new TimeOnly(15, 0)), China),
            kind == DisclosureKinds.LicenceApproved ? "准予许可" : "不予许可", fields);
    }

    /// <summary>A decision whose only date is the moment it occurred (no XK_JDRQ): the log dates it in China time.</summary>
    public static DisclosureRecorded DecisionAt(string county, DateTimeOffset occurredAt)
    {
        var record = Decision(county, DateOnly.FromDateTime(occurredAt.UtcDateTime), withDecisionDate: false);
        return record with { OccurredAt = occurredAt };
    }

    /// <summary>Another step of the same case (e.g. the certificate issued after an approval).</summary>
    public static DisclosureRecorded StepOf(DisclosureRecorded decision, string kind) =>
        decision with { RecordId = Guid.NewGuid(), Kind = kind, OccurredAt = decision.OccurredAt.AddHours(1), Summary = kind };

    /// <summary>A correction of a published record: carries the right fields and names the old one.</summary>
    public static DisclosureRecorded Correction(DisclosureRecorded original) =>
        original with
        {
            RecordId = Guid.NewGuid(),
            Kind = DisclosureKinds.RecordCorrected,
            OccurredAt = original.OccurredAt.AddDays(2),
            Summary = "更正：相对人名称",
            Supersedes = original.RecordId,
        };

    /// <summary>A withdrawal of a record published in error.</summary>
    public static DisclosureRecorded Withdrawal(DisclosureRecorded original) =>
        original with
        {
            RecordId = Guid.NewGuid(),
            Kind = DisclosureKinds.RecordWithdrawn,
            OccurredAt = original.OccurredAt.AddDays(3),
            Summary = "撤回：误发布",
            PublicFields = new Dictionary<string, string>(),
            Supersedes = original.RecordId,
        };

    /// <summary>The clerk's entries for a year: every row with a source, zeros unless given.</summary>
    public static SaveDraftRequest Entries(string county, int year) => new()
    {
        CountyCode = county,
        Year = year,
        Active = new ActiveDisclosure
        {
            Rules = new DocumentRow { Source = "政府信息公开专栏 规章目录" },
            NormativeDocuments = new DocumentRow { Source = "政府信息公开专栏 规范性文件目录" },
            Licensing = new ItemRow { PreviousYearItems = 7, Source = "政务服务网 行政许可事项目录" },
            OtherServices = new ItemRow { Source = "政务服务网 公共服务事项目录" },
            Penalties = new ItemRow { PreviousYearItems = 5, Decisions = 3, Source = "行政处罚决定书台账" },
            Enforcement = new ItemRow { Source = "行政强制台账" },
            Fees = new FeeRow { Source = "财务台账" },
            Procurement = new ProcurementRow { TotalAmount = "0", Source = "财务台账" },
        },
        Overview = $"{year}年总体情况。",
        Problems = "存在的问题及改进情况。",
        OtherMatters = "无",
    };

    /// <summary>Seed 002's non-owned rows and texts (Seed002/haiyan-2020-entries.json).</summary>
    public static SaveDraftRequest HaiyanEntries() =>
        ReportJson.Read<SaveDraftRequest>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed002", "haiyan-2020-entries.json")));

    /// <summary>A disclosure request (依申请公开) by a natural person (GB 11643's own example ID number).</summary>
    public static FileInformationRequest PersonRequest(string county) =>
        SampleInformationRequests.Person(county, description: "本县烟草专卖零售许可证核发情况统计表");

    public static async Task<RpcException> FailsAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("The call was expected to fail but succeeded.");
    }
}
