using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Disclosure.Tests;

[Collection(PublishedLogCollection.Name)]
public sealed class When_the_register_is_searched(PublishedLog log)
{
    [Fact]
    public async Task Should_list_licensing_decisions_with_the_national_fields_newest_first()
    {
        var page = await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { CountyCode = "330424", PageSize = 200 });
        Assert.NotEmpty(page.Entries);
        Assert.All(page.Entries, e => Assert.Contains(e.Record.Kind, DisclosureKinds.Decisions));
        Assert.Equal(page.Entries.Select(e => e.Record.Position).OrderDescending(), page.Entries.Select(e => e.Record.Position));
        var approval = page.Entries.First(e => e.Record.ApplicationNumber == PublishedLog.Number(1) && e.Record.Kind == DisclosureKinds.LicenceApproved);
        foreach (var code in new[] { "XK_XDR_MC", "XK_FRDB", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_NR", "XK_JDRQ", "XK_XKJG", "XK_XKJGDM", "XK_ZT" })
        {
            Assert.True(approval.Record.PublicFields.ContainsKey(code), $"missing {code}");
        }

        Assert.Equal(approval.Record.PublicFields["XK_JDRQ"], approval.DecisionDate);
        Assert.False(approval.Late);
    }

    [Fact]
    public async Task Should_find_by_name_licence_number_and_date()
    {
        var byName = await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { Name = "海盐县7号" });
        Assert.Equal([PublishedLog.Number(7), PublishedLog.Number(7)], byName.Entries.Select(e => e.Record.ApplicationNumber));

        var licence = "3304241" + PublishedLog.Number(4)[^5..];
        var byLicence = await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { LicenceNumber = licence });
        Assert.Equal(DisclosureKinds.CertificateIssued, Assert.Single(byLicence.Entries).Record.Kind);

        var monthAgo = DateTime.UtcNow.AddHours(8).AddDays(-30).ToString("yyyy-MM-dd");
        var byDate = await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { FromDate = monthAgo, ToDate = monthAgo });
        Assert.Equal(PublishedLog.Number(3), Assert.Single(byDate.Entries).Record.ApplicationNumber);

        var nothing = await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { Name = "%" });
        Assert.Empty(nothing.Entries);
    }

    [Fact]
    public async Task Should_report_a_decision_published_later_than_7_working_days()
    {
        var late = await log.Host.Log.ListLatePublicationsAsync(new ListLatePublicationsRequest());
        var entry = Assert.Single(late.Entries);
        Assert.Equal(PublishedLog.Number(3), entry.Record.ApplicationNumber);
        Assert.True(entry.Late);
        Assert.InRange(entry.PublicationWorkingDays, 8, 30);
    }

    [Fact]
    public async Task Should_reject_a_malformed_date_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            log.Host.Log.ListRegisterAsync(new ListRegisterRequest { FromDate = "2026/01/01" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("from_date", error.Status.Detail);
    }
}

[Collection(PublishedLogCollection.Name)]
public sealed class When_a_published_record_is_corrected_or_withdrawn(PublishedLog log)
{
    [Fact]
    public async Task Should_keep_the_original_and_append_a_record_that_references_it()
    {
        var original = log.Approval(5);
        var all = await log.Host.Log.ListRecordsAsync(new ListRecordsRequest { ApplicationNumber = PublishedLog.Number(5) });
        var kept = all.Records.Single(r => r.RecordId == original.RecordId.ToString());
        Assert.Equal(original.PublicFields["XK_XDR_MC"], kept.PublicFields["XK_XDR_MC"]);
        var correction = all.Records.Single(r => r.Kind == DisclosureKinds.RecordCorrected);
        Assert.Equal(original.RecordId.ToString(), correction.Supersedes);
        Assert.Equal("海盐县五号烟酒商行", correction.PublicFields["XK_XDR_MC"]);
        Assert.True(correction.Position > kept.Position);

        var register = await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { Name = "海盐县5号烟酒店" });
        var entry = register.Entries.Single(e => e.Record.Kind == DisclosureKinds.LicenceApproved);
        Assert.Equal(correction.Position, entry.SupersededByPosition);
    }

    [Fact]
    public async Task Should_leave_a_withdrawn_step_out_of_the_case_progress()
    {
        var progress = await log.Host.OpenData.GetApplicationProgressAsync(
            new GetApplicationProgressRequest { ApplicationNumber = PublishedLog.Number(6) },
            DisclosureHost.Credentials(DisclosureHost.Zhejiang));
        Assert.Equal(DisclosureKinds.ShipmentDelivered, progress.Status);
        Assert.Equal("已送达", progress.StatusLabel);
        Assert.Contains(progress.Steps, s => s.Kind == DisclosureKinds.RecordWithdrawn && s.Supersedes == log.Approval(6).RecordId.ToString());
    }
}

public sealed class When_the_decision_kinds_are_listed
{
    [Fact]
    public void Should_list_the_same_kinds_in_the_register_query_as_in_the_contract()
    {
        var inSql = System.Text.RegularExpressions.Regex.Matches(Features.Register.Decisions, "'([a-z-]+)'")
            .Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Equal(DisclosureKinds.Decisions.Order().ToList(), inSql);
    }
}
