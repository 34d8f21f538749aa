using System.Net;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

[Collection(PublishedLogCollection.Name)]
public sealed class When_a_platform_calls_the_open_data_api(PublishedLog log)
{
    [Fact]
    public async Task Should_refuse_another_provinces_county()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest { CountyCode = "330424" }, DisclosureHost.Credentials(DisclosureHost.Jiangsu)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("32", error.Status.Detail);
    }

    [Fact]
    public async Task Should_give_only_its_own_province_without_a_county_filter()
    {
        var zhejiang = await log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest { PageSize = 1000 }, DisclosureHost.Credentials(DisclosureHost.Zhejiang));
        Assert.NotEmpty(zhejiang.Records);
        Assert.All(zhejiang.Records, r => Assert.StartsWith("33", r.CountyCode));
        var jiangsu = await log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest { PageSize = 1000 }, DisclosureHost.Credentials(DisclosureHost.Jiangsu));
        Assert.Empty(jiangsu.Records);

        var elsewhere = await Assert.ThrowsAsync<RpcException>(() => log.Host.OpenData.GetApplicationProgressAsync(
            new GetApplicationProgressRequest { ApplicationNumber = PublishedLog.Number(1) },
            DisclosureHost.Credentials(DisclosureHost.Jiangsu)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Should_filter_the_feed_by_record_type()
    {
        var page = await log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest { PageSize = 1000, Kinds = { "certificate-issued", "shipment-delivered" } },
            DisclosureHost.Credentials(DisclosureHost.Zhejiang));
        Assert.Equal(20, page.Records.Count);
        Assert.All(page.Records, r => Assert.Contains(r.Kind, new[] { "certificate-issued", "shipment-delivered" }));
    }

    [Fact]
    public async Task Should_refuse_a_caller_without_a_valid_token()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            log.Host.OpenData.ListChangesAsync(new ListRecordsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);

        var expired = Tokens.Mint("permits-disclosure", DisclosureHost.Zhejiang, "过期平台", ["platform"],
            new() { ["province"] = "33" }, scope: "disclosure.read", lifetime: TimeSpan.FromMinutes(-10));
        var stranger = Tokens.Mint("permits-disclosure", DisclosureHost.Zhejiang, "冒名平台", ["platform"],
            new() { ["province"] = "33" }, scope: "disclosure.read", issuer: "https://elsewhere.example/");
        var otherApi = Tokens.Mint("permits-review", DisclosureHost.Zhejiang, "平台", ["platform"],
            new() { ["province"] = "33" }, scope: "disclosure.read");
        foreach (var token in new[] { expired, stranger, otherApi, "not-a-token" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => log.Host.OpenData.ListChangesAsync(
                new ListRecordsRequest(), new Metadata { { "Authorization", "Bearer " + token } }).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }

        using var http = new HttpClient { BaseAddress = new Uri(log.Host.HttpUrl) };
        var rest = await http.GetAsync("/open-data/v1/changes");
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
        http.DefaultRequestHeaders.Authorization = new("Bearer", expired);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/open-data/v1/changes")).StatusCode);
    }

    [Fact]
    public async Task Should_refuse_a_token_without_the_disclosure_scope_or_a_province()
    {
        var noScope = Tokens.Mint("permits-disclosure", DisclosureHost.Zhejiang, "平台", ["platform"], new() { ["province"] = "33" }, scope: "permits");
        var noProvince = Tokens.Mint("permits-disclosure", DisclosureHost.Zhejiang, "平台", ["platform"], scope: "disclosure.read");
        var officer = Tokens.OfficerFor("permits-disclosure", "330424", "head");

        foreach (var token in new[] { noScope, noProvince, officer })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => log.Host.OpenData.ListChangesAsync(
                new ListRecordsRequest(), new Metadata { { "Authorization", "Bearer " + token } }).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        }

        var scopeError = await Assert.ThrowsAsync<RpcException>(() => log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest(), new Metadata { { "Authorization", "Bearer " + noScope } }).ResponseAsync);
        Assert.Contains("disclosure.read", scopeError.Status.Detail);
    }

    [Fact]
    public async Task Should_keep_the_public_log_open_without_a_token()
    {
        var page = await log.Host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 5 });
        Assert.NotEmpty(page.Records);
    }

    [Fact]
    public async Task Should_refuse_over_quota_with_a_clear_error_and_when_to_retry()
    {
        var credentials = DisclosureHost.Credentials(DisclosureHost.ZhejiangSmall);
        for (var i = 0; i < 3; i++)
        {
            await log.Host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            log.Host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("配额", error.Status.Detail);
        var retryAfter = int.Parse(error.Trailers.GetValue("retry-after")!);
        Assert.InRange(retryAfter, 1, 24 * 3600);
        var retryInfo = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retryInfo);
        Assert.Equal(retryAfter, retryInfo.RetryDelay.Seconds);

        using var http = When_the_public_reads_the_log.PlatformHttp(log.Host, DisclosureHost.ZhejiangSmall);
        var rest = await http.GetAsync("/open-data/v1/changes?page_size=1");
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(retryAfter).TotalSeconds, rest.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1.0);
    }

    [Fact]
    public async Task Should_refuse_calls_beyond_the_rate_limit_and_say_when_to_retry()
    {
        var credentials = DisclosureHost.Credentials(DisclosureHost.ZhejiangBurst);
        var refused = 0;
        RpcException? last = null;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await log.Host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                refused++;
                last = ex;
            }
        }

        Assert.InRange(refused, 1, 8);
        Assert.Contains("rate limit", last!.Status.Detail);
        Assert.InRange(int.Parse(last.Trailers.GetValue("retry-after")!), 1, 5);
    }
}
