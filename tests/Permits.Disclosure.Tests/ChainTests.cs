using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Tests;

public sealed class When_the_log_is_tampered_with : IAsyncLifetime
{
    private DisclosureHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DisclosureHost.StartAsync();
        for (var i = 1; i <= 5; i++)
        {
            var id = DeterministicGuid.Create("chain-test", i);
            var at = new DateTimeOffset(2026, 5, 6, 2, 0, 0, TimeSpan.Zero).AddMinutes(i);
            foreach (var kind in Records.HappyPath)
            {
                await _host.PublishAsync(Records.Step(kind, id, $"YC2026C{i:D5}", Records.Haiyan, at, "李四", $"店{i}"));
            }
        }

        await _host.WaitForCountAsync(30, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<long> PositionOfAsync(int index)
    {
        var page = await _host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 100 });
        return page.Records[index].Position;
    }

    [Fact]
    public async Task Should_verify_an_untouched_chain_with_every_record_linked_to_the_one_before()
    {
        var page = await _host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 100 });
        Assert.Equal(30, page.Records.Count);
        Assert.Equal("", page.Records[0].PreviousHash);
        Assert.All(page.Records.Zip(page.Records.Skip(1)), pair =>
        {
            Assert.Equal(pair.First.RecordHash, pair.Second.PreviousHash);
            Assert.Equal(pair.First.ChainSequence + 1, pair.Second.ChainSequence);
        });
        var result = await _host.Log.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(result.Intact, result.Reason);
        Assert.Equal(30, result.RecordsChecked);
        Assert.Equal(page.Records[^1].RecordHash, result.LastHash);
    }

    [Fact]
    public async Task Should_report_an_edited_record_at_its_position_and_a_removed_one_at_the_next()
    {
        var edited = await PositionOfAsync(11);
        await _host.ExecuteSqlAsync("UPDATE disclosure_records SET summary = summary || ' (改)' WHERE position = @Position", new { Position = edited });
        var afterEdit = await _host.Log.VerifyChainAsync(new VerifyChainRequest());
        Assert.False(afterEdit.Intact);
        Assert.Equal(edited, afterEdit.BrokenAtPosition);
        Assert.Contains("本条内容被改动", afterEdit.Reason);

        await _host.ExecuteSqlAsync("UPDATE disclosure_records SET summary = replace(summary, ' (改)', '') WHERE position = @Position", new { Position = edited });
        Assert.True((await _host.Log.VerifyChainAsync(new VerifyChainRequest())).Intact);

        var removed = await PositionOfAsync(20);
        var next = await PositionOfAsync(21);
        await _host.ExecuteSqlAsync("DELETE FROM disclosure_records WHERE position = @Position", new { Position = removed });
        var afterDelete = await _host.Log.VerifyChainAsync(new VerifyChainRequest());
        Assert.False(afterDelete.Intact);
        Assert.Equal(next, afterDelete.BrokenAtPosition);
    }
}
