using System.Text.RegularExpressions;
using Google.Protobuf;
using Permits.Contracts.Disclosure.V1;
using Record = Permits.Contracts.Disclosure.V1.Record;

namespace Permits.Disclosure.Tests;

/// <summary>Every public output (register, feed, log, export in both formats, progress; gRPC and REST) scanned field by field.</summary>
[Collection(PublishedLogCollection.Name)]
public sealed partial class When_the_public_reads_the_log(PublishedLog log)
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    [Fact]
    public async Task Should_find_no_id_number_phone_or_full_personal_name_in_any_output()
    {
        var outputs = new Dictionary<string, string>();
        var feed = await log.Host.OpenData.ListChangesAsync(
            new ListRecordsRequest { PageSize = 1000 }, DisclosureHost.Credentials(DisclosureHost.Zhejiang));
        outputs["feed (gRPC)"] = Json.Format(feed);
        var publicLog = await log.Host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 1000 });
        outputs["log (gRPC)"] = Json.Format(publicLog);
        outputs["register (gRPC)"] = Json.Format(await log.Host.Log.ListRegisterAsync(new ListRegisterRequest { PageSize = 200 }));
        outputs["progress (gRPC)"] = Json.Format(await log.Host.OpenData.GetApplicationProgressAsync(
            new GetApplicationProgressRequest { ApplicationNumber = "YC2026P09999" }, DisclosureHost.Credentials(DisclosureHost.Zhejiang)));

        using var http = PlatformHttp(log.Host);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        var from = DateTime.UtcNow.AddDays(-40).ToString("yyyy-MM-dd");
        outputs["register (REST)"] = await http.GetStringAsync("/disclosure/v1/register?page_size=200");
        outputs["changes (REST)"] = await http.GetStringAsync("/open-data/v1/changes?page_size=1000");
        outputs["log (REST)"] = await http.GetStringAsync("/disclosure/v1/records?page_size=1000");
        outputs["progress (REST)"] = await http.GetStringAsync("/open-data/v1/applications/YC2026P09999/progress");
        outputs["export csv"] = await http.GetStringAsync($"/open-data/v1/export?from_date={from}&to_date={today}&format=csv");
        outputs["export jsonl"] = await http.GetStringAsync($"/open-data/v1/export?from_date={from}&to_date={today}&format=jsonl");

        // The scan must be able to fail: the careless record reached every output (masked).
        Assert.All(outputs, o => Assert.Contains("YC2026P09999", o.Value));
        foreach (var (name, text) in outputs)
        {
            var decoded = Regex.Unescape(text);
            Assert.False(IdNumber().IsMatch(decoded), $"{name} holds an ID number: {IdNumber().Match(decoded).Value}");
            Assert.False(Phone().IsMatch(decoded), $"{name} holds a phone number: {Phone().Match(decoded).Value}");
            Assert.DoesNotContain(PublishedLog.Person, decoded);
            Assert.DoesNotContain(PublishedLog.IdNumber, decoded);
        }

        Assert.Contains("欧***", Regex.Unescape(outputs["export jsonl"]));
    }

    [Fact]
    public async Task Should_export_every_record_in_the_range_as_csv_and_json_lines_in_position_order()
    {
        using var http = PlatformHttp(log.Host);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        var from = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd");
        var csv = (await http.GetStringAsync($"/open-data/v1/export?from_date={from}&to_date={today}&format=csv"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var jsonl = (await http.GetStringAsync($"/open-data/v1/export?from_date={from}&to_date={today}&format=jsonl"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var zhejiang = log.Published.Count(r => r.CountyCode.StartsWith("33", StringComparison.Ordinal));

        Assert.StartsWith("position,record_id,kind", csv[0]);
        Assert.Equal(zhejiang, csv.Length - 1);
        Assert.Equal(zhejiang, jsonl.Length);
        var parser = new JsonParser(JsonParser.Settings.Default);
        var positions = jsonl.Select(line => parser.Parse<Record>(line).Position).ToList();
        Assert.Equal(positions.Order(), positions);

        var streamed = new List<Record>();
        using var call = log.Host.OpenData.ExportRecords(
            new ExportRecordsRequest { FromDate = from, ToDate = today, Kinds = { "licence-approved" } },
            DisclosureHost.Credentials(DisclosureHost.Zhejiang));
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            streamed.Add(call.ResponseStream.Current);
        }

        Assert.Equal(log.Published.Count(r => r.Kind == "licence-approved" && r.CountyCode.StartsWith("33", StringComparison.Ordinal)), streamed.Count);
    }

    internal static HttpClient PlatformHttp(DisclosureHost host, string client = DisclosureHost.Zhejiang)
    {
        var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", DisclosureHost.TokenOf(client));
        return http;
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")]
    private static partial Regex Phone();
}
