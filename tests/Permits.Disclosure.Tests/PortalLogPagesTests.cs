using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// The Portal's 信息公开 and 双公示 pages over the published log: one row per decision under Chinese headers (the
/// national codes stay in the open-data API), and the log newest first with search and paging both ways.
/// </summary>
[Collection(PublishedLogCollection.Name)]
public sealed class When_the_public_reads_the_disclosure_pages(PublishedLog log) : IAsyncLifetime
{
    private PortalUnderTest _portal = null!;

    public async Task InitializeAsync() =>
        _portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Disclosure"] = log.Host.GrpcUrl });

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Should_show_each_decision_as_one_row_under_chinese_headers()
    {
        using var visitor = _portal.Anonymous();

        var page = await visitor.GetStringAsync("/disclosure/register?name=" + Uri.EscapeDataString("海盐县7号"));

        // 准予许可 (the decision document) and 发证 (the licence number) of one application: one row holding both.
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, "<tr role=\"row\">") - 1);
        var text = PortalForms.Text(page);
        Assert.Contains("行政相对人名称", text);
        Assert.Contains("许可编号", text);
        Assert.Contains("盐烟专许〔2026〕0007号", text);
        Assert.Contains("3304241" + PublishedLog.Number(7)[^5..], text);
        Assert.DoesNotContain("XK_", text);
    }

    [Fact]
    public async Task Should_list_the_log_newest_first_and_page_back_and_forth()
    {
        using var visitor = _portal.Anonymous();

        var first = await visitor.GetStringAsync("/disclosure?county=330424");
        var positions = Positions(first);
        Assert.Equal(positions.OrderDescending(), positions);
        Assert.Contains("较早的记录", first);
        Assert.DoesNotContain("较新的记录", first);

        var olderLink = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(first, "href=\"([^\"]+)\">较早的记录").Groups[1].Value);
        var older = await visitor.GetStringAsync(olderLink);
        Assert.True(Positions(older).Max() < positions.Min());
        var newerLink = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(older, "href=\"([^\"]+)\">较新的记录").Groups[1].Value);
        Assert.Equal(positions, Positions(await visitor.GetStringAsync(newerLink)));

        var found = PortalForms.Text(await visitor.GetStringAsync("/disclosure?number=" + PublishedLog.Number(2)));
        Assert.Contains(PublishedLog.Number(2), found);
        Assert.DoesNotContain(PublishedLog.Number(3), found);
    }

    /// <summary>The 序号 column of the log's rows, top to bottom.</summary>
    private static List<long> Positions(string page) =>
        System.Text.RegularExpressions.Regex.Matches(page, "data-label=\"序号\">(\\d+)<")
            .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
