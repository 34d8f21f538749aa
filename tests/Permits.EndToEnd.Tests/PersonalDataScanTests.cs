using System.Net;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Testing;
using Xunit.Abstractions;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The personal-data scan: journeys whose free texts carry a name, an ID number, a mobile, landlines, an e-mail, a
/// home address, a bank card and a passport (不予受理 reasons, a withdrawal note, a reviewer's opinion, 不予许可 reasons),
/// then every public output read as the public and the platforms read it, each searched for each planted value.
/// </summary>
public sealed partial class When_a_licence_travels_the_embedded_system
{
    private const string Person = "欧阳春花";

    /// <summary>Every value planted, as written; none may appear in any public output.</summary>
    private static readonly string[] Planted =
    [
        Person, "李红梅", "330424199203154518", "13905731234", "0573-86123456", "86123456", "(0573)86234567", "86234567",
        "86345678", "chunhua.oy@example.com", "12号3幢2单元501室", "88弄3号", "6222021234567890123", "E12345678",
    ];

    private static readonly string FreeText =
        $"经营者{Person}（身份证330424199203154518，手机13905731234）住海盐县武原街道百尺路12号3幢2单元501室，" +
        "电话0573-86123456、(0573)86234567，座机 86345678，邮箱chunhua.oy@example.com；联系人：李红梅，住海滨西路88弄3号，" +
        "银行卡号6222021234567890123，护照E12345678";

    [Fact]
    public async Task Should_publish_none_of_the_personal_data_written_into_free_texts()
    {
        var request = SampleApplications.Individual();
        request.ResponsiblePerson = Person;
        request.Delivery.RecipientName = Person;
        var clerk = await _system.Journey.Officers.AsAsync("330424", "clerk");

        // 不予受理 with the planted reasons.
        var refused = await _system.Journey.SubmitAsync(request.Clone());
        var refusedCase = await _system.Journey.WaitForCaseAsync(refused.ApplicationId, "330424");
        await _system.Journey.Review.NotAcceptAsync(new ReasonedActionRequest { Action = LicenceJourney.Act(refusedCase), Reasons = { FreeText }, GroundCodes = { "NotInScope" } }, clerk);

        // Withdrawn with the planted note.
        var withdrawn = await _system.Journey.SubmitAsync(Fresh(request));
        var shopkeeper = await _system.Journey.Shopkeepers.AsAsync(request.ContactPhone);
        await _system.Journey.Intake.WithdrawAsync(new WithdrawApplicationRequest { ApplicationId = withdrawn.ApplicationId, Reason = FreeText.Length <= 200 ? FreeText : FreeText[..200] }, shopkeeper);

        // 不予许可 after inspection, with the planted opinion and reasons.
        var denied = await _system.Journey.SubmitAsync(Fresh(request));
        var deniedCase = await _system.Journey.WaitForCaseAsync(denied.ApplicationId, "330424");
        await _system.Journey.Review.AcceptAsync(LicenceJourney.Act(deniedCase), clerk);
        await _system.Journey.InspectAsync(deniedCase);
        await _system.Journey.Review.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = LicenceJourney.Act(deniedCase), Recommendation = "Deny", Opinion = FreeText,
        }, await _system.Journey.Officers.AsAsync("330424", "reviewer"));
        await _system.Journey.Review.DenyAsync(new ReasonedActionRequest { Action = LicenceJourney.Act(deniedCase), Reasons = { FreeText }, GroundCodes = { "Layout" } },
            await _system.Journey.Officers.AsAsync("330424", "head"));

        await _system.Journey.WaitForStatusAsync(refused.ApplicationId, "NotAccepted");
        await _system.Journey.WaitForStatusAsync(withdrawn.ApplicationId, "Withdrawn");
        await _system.Journey.WaitForStatusAsync(denied.ApplicationId, "Denied");
        await Eventually.GetAsync(
            async () => (await _system.Journey.Disclosure.ListRecordsAsync(new ListRecordsRequest { PageSize = 1000 })).Records,
            records => records.Any(r => r.Kind == DisclosureKinds.ApplicationNotAccepted)
                && records.Any(r => r.Kind == DisclosureKinds.LicenceDenied)
                && records.Any(r => r.Kind == DisclosureKinds.ApplicationWithdrawn),
            LicenceJourney.StepTimeout, "the refusals and the withdrawal in the disclosure log");

        var outputs = await PublicOutputsAsync([refused, withdrawn, denied]);

        // The scan must be able to fail: the refusal's published reason is there, masked.
        Assert.Contains(outputs, o => o.Value.Contains("欧**", StringComparison.Ordinal));
        var hits = outputs.SelectMany(o => Planted.Where(v => o.Value.Contains(v, StringComparison.Ordinal)).Select(v => $"{o.Key}: {v}")).ToList();
        output.WriteLine($"personal-data scan: {outputs.Count} public outputs scanned, {Planted.Length} values planted, {hits.Count} hits");
        Assert.True(hits.Count == 0, "Personal data reached the public:\n" + string.Join("\n", hits));
    }

    private static SubmitApplicationRequest Fresh(SubmitApplicationRequest request)
    {
        var copy = request.Clone();
        copy.ClientRequestId = Guid.NewGuid().ToString("N");
        return copy;
    }

    /// <summary>Every public output, decoded to plain text (JSON escapes and HTML entities undone).</summary>
    private async Task<Dictionary<string, string>> PublicOutputsAsync(IReadOnlyList<SubmitApplicationResponse> applications)
    {
        var json = new JsonFormatter(JsonFormatter.Settings.Default);
        var platform = new Metadata { { "Authorization", "Bearer " + await _system.Journey.Officers.PlatformTokenAsync("platform-zj", "platform-zj-demo-secret") } };
        var openData = new OpenData.OpenDataClient(_system.Channel);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        var from = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd");
        var outputs = new Dictionary<string, string>
        {
            ["log (gRPC)"] = json.Format(await _system.Journey.Disclosure.ListRecordsAsync(new ListRecordsRequest { PageSize = 1000 })),
            ["register (gRPC)"] = json.Format(await _system.Journey.Disclosure.ListRegisterAsync(new ListRegisterRequest { PageSize = 200 })),
            ["feed (gRPC)"] = json.Format(await openData.ListChangesAsync(new ListRecordsRequest { PageSize = 1000 }, platform)),
        };
        var exported = new List<string>();
        using (var call = openData.ExportRecords(new ExportRecordsRequest { FromDate = from, ToDate = today }, platform))
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                exported.Add(json.Format(call.ResponseStream.Current));
            }
        }

        outputs["export (gRPC)"] = string.Join("\n", exported);

        using var rest = new HttpClient { BaseAddress = new Uri(_system.PortalUrl) };
        outputs["log (REST)"] = await rest.GetStringAsync("/disclosure/v1/records?page_size=1000");
        outputs["register (REST)"] = await rest.GetStringAsync("/disclosure/v1/register?page_size=200");
        rest.DefaultRequestHeaders.Authorization = new("Bearer", platform.GetValue("Authorization")!["Bearer ".Length..]);
        outputs["feed (REST)"] = await rest.GetStringAsync("/open-data/v1/changes?page_size=1000");
        outputs["export csv"] = await rest.GetStringAsync($"/open-data/v1/export?from_date={from}&to_date={today}&format=csv");
        outputs["export jsonl"] = await rest.GetStringAsync($"/open-data/v1/export?from_date={from}&to_date={today}&format=jsonl");

        using var visitor = new HttpClient { BaseAddress = new Uri(_system.PortalUrl) };
        outputs["portal /disclosure"] = await visitor.GetStringAsync("/disclosure");
        outputs["portal /disclosure/register"] = await visitor.GetStringAsync("/disclosure/register");
        foreach (var application in applications)
        {
            var code = _system.Journey.QueryCodeOf(application.ApplicationId);
            outputs[$"intake public view {application.ApplicationNumber}"] = json.Format(await _system.Journey.Intake.GetApplicationAsync(
                new GetApplicationRequest { ApplicationNumber = application.ApplicationNumber, QueryCode = code }));
            outputs[$"portal /disclosure?number={application.ApplicationNumber}"] =
                await visitor.GetStringAsync($"/disclosure?number={Uri.EscapeDataString(application.ApplicationNumber)}");
            var form = await visitor.GetStringAsync($"/applications/{Uri.EscapeDataString(application.ApplicationNumber)}");
            using var opened = await visitor.PostAsync("/applications", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["number"] = application.ApplicationNumber,
                ["query_code"] = code,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(form).Groups[1].Value),
            }));
            var page = await opened.Content.ReadAsStringAsync();
            Assert.True(opened.IsSuccessStatusCode && page.Contains("办理过程", StringComparison.Ordinal),
                $"/applications answered {(int)opened.StatusCode}: {page[..Math.Min(page.Length, 2000)]}");
            outputs[$"portal /applications/{application.ApplicationNumber}"] = page;
        }

        return outputs.ToDictionary(o => o.Key, o => WebUtility.HtmlDecode(Regex.Unescape(o.Value)));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
