using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Disclosure.Tests;

/// <summary>The log as people read it on the Portal: newest first, searched by name, number and date, paged both ways.</summary>
[Collection(PublishedLogCollection.Name)]
public sealed class When_the_log_is_read_newest_first(PublishedLog log)
{
    private static ListRecordsRequest Newest(int pageSize = 3) => new() { NewestFirst = true, PageSize = pageSize, CountyCode = "330424" };

    [Fact]
    public async Task Should_page_to_older_records_and_back_to_the_same_newer_page()
    {
        var first = await log.Host.Log.ListRecordsAsync(Newest());
        var firstPositions = first.Records.Select(r => r.Position).ToList();
        Assert.Equal(3, firstPositions.Count);
        Assert.Equal(firstPositions.OrderDescending(), firstPositions);
        Assert.Equal(0, first.NewerAfterPosition);
        Assert.True(first.OlderBeforePosition > 0);

        var request = Newest();
        request.BeforePosition = first.OlderBeforePosition;
        var older = await log.Host.Log.ListRecordsAsync(request);
        Assert.Equal(3, older.Records.Count);
        Assert.True(older.Records.Max(r => r.Position) < firstPositions.Min());
        Assert.Equal(older.Records.Select(r => r.Position).OrderDescending(), older.Records.Select(r => r.Position));

        var back = Newest();
        back.AfterPosition = older.NewerAfterPosition;
        var newer = await log.Host.Log.ListRecordsAsync(back);
        Assert.Equal(firstPositions, newer.Records.Select(r => r.Position));
        Assert.Equal(0, newer.NewerAfterPosition);
        Assert.Equal(first.OlderBeforePosition, newer.OlderBeforePosition);
    }

    [Fact]
    public async Task Should_find_by_name_by_application_or_licence_number_and_by_date()
    {
        var byName = Newest(50);
        byName.Name = "海盐县7号";
        var named = await log.Host.Log.ListRecordsAsync(byName);
        Assert.Equal([PublishedLog.Number(7)], named.Records.Select(r => r.ApplicationNumber).Distinct());
        Assert.Contains(named.Records, r => r.Kind == DisclosureKinds.LicenceApproved);

        var byLicence = Newest(50);
        byLicence.LicenceNumber = "3304241" + PublishedLog.Number(4)[^5..];
        Assert.Equal(DisclosureKinds.CertificateIssued, Assert.Single((await log.Host.Log.ListRecordsAsync(byLicence)).Records).Kind);

        var byNumber = Newest(50);
        byNumber.ApplicationNumber = PublishedLog.Number(2);
        var numbered = await log.Host.Log.ListRecordsAsync(byNumber);
        Assert.Equal(Records.HappyPath.Length, numbered.Records.Count);

        var today = DateTime.UtcNow.AddHours(8);
        var recent = Newest(1000);
        (recent.FromDate, recent.ToDate) = (today.AddDays(-1).ToString("yyyy-MM-dd"), today.ToString("yyyy-MM-dd"));
        var all = Newest(1000);
        Assert.Equal((await log.Host.Log.ListRecordsAsync(all)).Records.Count, (await log.Host.Log.ListRecordsAsync(recent)).Records.Count);
        var before = Newest(1000);
        before.ToDate = today.AddDays(-2).ToString("yyyy-MM-dd");
        Assert.Empty((await log.Host.Log.ListRecordsAsync(before)).Records);
    }

    [Fact]
    public async Task Should_keep_the_oldest_first_cursor_for_platforms()
    {
        var page = await log.Host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 5 });
        Assert.Equal(page.Records.Select(r => r.Position).Order(), page.Records.Select(r => r.Position));
        Assert.Equal(page.Records[^1].Position, page.NextPosition);
    }

    [Fact]
    public async Task Should_reject_a_malformed_date_naming_the_field()
    {
        var request = Newest();
        request.ToDate = "昨天";
        var error = await Assert.ThrowsAsync<RpcException>(() => log.Host.Log.ListRecordsAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("to_date", error.Status.Detail);
    }
}
