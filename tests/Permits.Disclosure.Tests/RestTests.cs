using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// Platforms that cannot speak gRPC call the same rpcs as REST/JSON (JSON transcoding) at the same URLs as before:
/// the answers equal the gRPC answers, and the gate (token, province, scope, limits) refuses alike.
/// </summary>
[Collection(PublishedLogCollection.Name)]
public sealed class When_a_platform_calls_over_rest(PublishedLog log)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    [Fact]
    public async Task Should_answer_the_change_feed_as_grpc_does_with_either_field_spelling_and_both_ways_of_listing_kinds()
    {
        var credentials = DisclosureHost.Credentials(DisclosureHost.Zhejiang);
        var first = await log.Host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 7 }, credentials);
        var grpc = await log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest { AfterPosition = first.NextPosition, PageSize = 25, CountyCode = "330424", Kinds = { "licence-approved", "certificate-issued" } },
            credentials);
        Assert.NotEmpty(grpc.Records);

        using var http = When_the_public_reads_the_log.PlatformHttp(log.Host);
        foreach (var query in new[]
                 {
                     $"after_position={first.NextPosition}&page_size=25&county_code=330424&kinds=licence-approved&kinds=certificate-issued",
                     $"afterPosition={first.NextPosition}&pageSize=25&countyCode=330424&kinds=licence-approved,certificate-issued",
                 })
        {
            var rest = Parser.Parse<ListRecordsResponse>(await http.GetStringAsync($"/open-data/v1/changes?{query}"));
            Assert.Equal(grpc, rest);
        }

        // An empty kinds parameter filters nothing, as before transcoding.
        Assert.Equal(first, Parser.Parse<ListRecordsResponse>(await http.GetStringAsync("/open-data/v1/changes?page_size=7&kinds=")));
    }

    [Fact]
    public async Task Should_answer_application_progress_by_number_in_the_path()
    {
        var grpc = await log.Host.OpenData.GetApplicationProgressAsync(
            new GetApplicationProgressRequest { ApplicationNumber = PublishedLog.Number(2) }, DisclosureHost.Credentials(DisclosureHost.Zhejiang));
        using var http = When_the_public_reads_the_log.PlatformHttp(log.Host);
        var rest = Parser.Parse<ApplicationProgress>(await http.GetStringAsync($"/open-data/v1/applications/{PublishedLog.Number(2)}/progress"));
        Assert.Equal(grpc, rest);
        Assert.Equal("已送达", rest.StatusLabel);

        var unknown = await http.GetAsync("/open-data/v1/applications/YC2026X00000/progress");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Should_serve_the_public_register_late_report_log_and_chain_verification_without_a_token()
    {
        using var http = new HttpClient { BaseAddress = new Uri(log.Host.HttpUrl) };
        Assert.Equal(
            await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { Name = "海盐县7号", PageSize = 10 }),
            Parser.Parse<ListRegisterResponse>(await http.GetStringAsync($"/disclosure/v1/register?name={Uri.EscapeDataString("海盐县7号")}&page_size=10")));
        Assert.Equal(
            await log.Host.Log.ListLatePublicationsAsync(new ListLatePublicationsRequest { CountyCode = "330424" }),
            Parser.Parse<ListRegisterResponse>(await http.GetStringAsync("/disclosure/v1/register/late?county_code=330424")));
        Assert.Equal(
            await log.Host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 10, ApplicationNumber = PublishedLog.Number(1) }),
            Parser.Parse<ListRecordsResponse>(await http.GetStringAsync($"/disclosure/v1/records?page_size=10&application_number={PublishedLog.Number(1)}")));

        var verified = Parser.Parse<VerifyChainResponse>(await http.GetStringAsync("/disclosure/v1/chain/verify"));
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(log.Published.Count, verified.RecordsChecked);

        var malformed = await http.GetAsync("/disclosure/v1/register?from_date=2026/01/01");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("from_date", await malformed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_refuse_a_missing_or_expired_token_another_province_and_a_token_without_the_scope()
    {
        var expired = Tokens.Mint("permits-disclosure", DisclosureHost.Zhejiang, "过期平台", ["platform"],
            new() { ["province"] = "33" }, scope: "disclosure.read", lifetime: TimeSpan.FromMinutes(-10));
        var noScope = Tokens.Mint("permits-disclosure", DisclosureHost.Zhejiang, "平台", ["platform"], new() { ["province"] = "33" }, scope: "permits");
        var cases = new (string? Token, string Path, HttpStatusCode Status, StatusCode Code, string Says)[]
        {
            (null, "/open-data/v1/changes", HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "令牌"),
            (expired, "/open-data/v1/changes", HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "令牌"),
            (expired, $"/open-data/v1/applications/{PublishedLog.Number(1)}/progress", HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "令牌"),
            (expired, "/open-data/v1/export?from_date=2026-01-01&to_date=2026-01-02&format=csv", HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "令牌"),
            (noScope, "/open-data/v1/changes", HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "disclosure.read"),
            (noScope, "/open-data/v1/export?from_date=2026-01-01&to_date=2026-01-02&format=jsonl", HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "disclosure.read"),
            (DisclosureHost.TokenOf(DisclosureHost.Jiangsu), "/open-data/v1/changes?county_code=330424", HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "32"),
            (DisclosureHost.TokenOf(DisclosureHost.Jiangsu), "/open-data/v1/export?from_date=2026-01-01&to_date=2026-01-02&format=csv&county_code=330424", HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "32"),
        };
        using var http = new HttpClient { BaseAddress = new Uri(log.Host.HttpUrl) };
        foreach (var (token, path, status, code, says) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            using var response = await http.SendAsync(request);
            Assert.True(status == response.StatusCode, $"{path}: {(int)response.StatusCode}, expected {(int)status}");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal((int)code, body.RootElement.GetProperty("code").GetInt32());
            Assert.Contains(says, body.RootElement.GetProperty("message").GetString());
        }

        // Jiangsu reading without a county filter gets only its own province (nothing here), as over gRPC.
        using var jiangsu = When_the_public_reads_the_log.PlatformHttp(log.Host, DisclosureHost.Jiangsu);
        Assert.Empty(Parser.Parse<ListRecordsResponse>(await jiangsu.GetStringAsync("/open-data/v1/changes?page_size=1000")).Records);
    }

    [Fact]
    public async Task Should_refuse_calls_beyond_the_rate_limit_with_429_and_a_retry_after_header()
    {
        using var http = When_the_public_reads_the_log.PlatformHttp(log.Host, DisclosureHost.ZhejiangRate);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await http.GetAsync("/open-data/v1/changes?page_size=1");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 5);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal((int)StatusCode.ResourceExhausted, body.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("rate limit", body.RootElement.GetProperty("message").GetString());
    }
}
