using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Testing;
using Xunit.Abstractions;
using static Permits.Security.Tests.Caller;
using SaveDraftRequest = Permits.Contracts.Intake.V1.SaveDraftRequest;

namespace Permits.Security.Tests;

/// <summary>
/// A bounded fuzz smoke over what people type into: submit, drafts and uploads, the officers' review steps and
/// certificate changes, and information requests. A fixed seed and a fixed number of calls, so a failure replays.
/// No answer may be INTERNAL or UNKNOWN (nor a timeout), and nothing stored may hold a control character.
/// </summary>
public abstract class FuzzSmoke(string provider, ITestOutputHelper output)
{
    private const int Calls = 800;
    private const int RandomSeed = 20261206;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private sealed record Target(string Rpc, Caller Caller, Func<IMessage> Valid);

    [Fact]
    public async Task Should_answer_no_internal_error_and_store_nothing_invalid()
    {
        await using var system = await SystemUnderTest.StartAsync(provider);
        var tokens = new CallerTokens(system);
        var targets = await PrepareAsync(system, tokens);
        var compiled = Rpcs.Compiled();
        var invoker = system.Channel.CreateCallInvoker();
        var random = new Random(RandomSeed);
        var mutations = new Mutations(random);
        var failures = new List<string>();
        var answers = new Dictionary<StatusCode, int>();
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        for (; attempts < Calls && clock.Elapsed < Budget; attempts++)
        {
            var target = targets[random.Next(targets.Count)];
            var method = compiled[target.Rpc];
            var headers = await tokens.HeadersAsync(target.Caller, target.Caller, "head");
            (StatusCode Code, string Detail) answer;
            Func<string> sent;
            if (random.Next(20) == 0)
            {
                var body = mutations.MalformedProtobuf();
                sent = () => "malformed protobuf " + Convert.ToHexString(body);
                answer = await Rpcs.CallRawAsync(invoker, method, body, headers);
            }
            else
            {
                var request = target.Valid();
                if (random.Next(10) != 0)
                {
                    mutations.Apply(request);
                }

                sent = () => Describe(request);
                answer = await Rpcs.CallAsync(invoker, method, request, headers);
            }

            answers[answer.Code] = answers.GetValueOrDefault(answer.Code) + 1;
            if (answer.Code is StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unavailable)
            {
                failures.Add($"#{attempts} {target.Rpc}: {answer.Code} {answer.Detail} ← {sent()}");
            }
        }

        var (restAttempts, restFailures) = await FuzzRestAsync(system, random, mutations);
        failures.AddRange(restFailures);
        var (stored, read) = await StoredText.ScanAsync(system);
        output.WriteLine($"fuzz smoke on {provider}: {attempts} gRPC + {restAttempts} REST attempts in {clock.Elapsed.TotalSeconds:0.0} s " +
                         $"over {targets.Count} targets, {failures.Count} failures (INTERNAL/UNKNOWN/timeout, HTTP 5xx or a raw .NET message), " +
                         $"{stored.Count} stored values with a forbidden character (of {read} read)");
        output.WriteLine("  answers: " + string.Join(", ", answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {a.Value}")));
        foreach (var failure in failures.Concat(stored))
        {
            output.WriteLine("  " + failure);
        }

        Assert.True(attempts >= Calls / 2, $"Only {attempts} of {Calls} calls fitted in {Budget.TotalSeconds} s.");
        Assert.Empty(failures);
        Assert.Empty(stored);
    }

    /// <summary>
    /// The same through JSON transcoding, as platforms call it: spoiled requests as JSON and JSON that is no request.
    /// No answer may be a 5xx, nor carry a raw .NET message ("Value was either too large…").
    /// </summary>
    private static async Task<(int Attempts, List<string> Failures)> FuzzRestAsync(SystemUnderTest system, Random random, Mutations mutations)
    {
        string[] brokenJson =
        [
            "{", "[]", "null", "\"text\"", "{\"countyCode\": 1e999}", "{\"countyCode\": {\"a\": 1}}", "{\"requester\": []}",
            "{\"preferredForm\": 99999999999999999999}", new string('[', 5000), "{\"description\": \"\\ud800\"}", "\u0000",
            "{\"year\": 99999999999}", "{\"year\": \"二〇二五\"}", "{\"token\": 12}",
        ];
        using var http = new HttpClient { BaseAddress = new Uri(system.PortalUrl), Timeout = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        var attempts = 0;
        for (; attempts < 150; attempts++)
        {
            using var request = random.Next(4) switch
            {
                0 => Post("/v1/information-requests", Seed.InformationRequestSample()),
                1 => Post("/v1/annual-reports:check", new AnnualReport { CountyCode = CallerTokens.County, Year = Seed.ReportYear, Title = "年度报告" }),
                2 => Post("/v1/licences:verify", new Permits.Contracts.Certificate.V1.VerifyRequest { LicenceNumber = "330424100001" }),
                _ => new HttpRequestMessage(HttpMethod.Get,
                    $"/disclosure/v1/register?county_code={Uri.EscapeDataString(mutations.String(CallerTokens.County))}" +
                    $"&from_date={Uri.EscapeDataString(mutations.String("2026-01-01"))}&page_size={random.Next(-5, 100_000)}"),
            };
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || answer.Contains("Exception") || answer.Contains("System.") || answer.Contains("Value was"))
            {
                failures.Add($"REST {request.Method} {request.RequestUri}: {(int)response.StatusCode} {StoredText.Escape(answer)} ← {StoredText.Escape(body)}");
            }
        }

        return (attempts, failures);

        HttpRequestMessage Post(string path, IMessage valid)
        {
            string json;
            if (random.Next(3) == 0)
            {
                json = brokenJson[random.Next(brokenJson.Length)];
            }
            else
            {
                mutations.Apply(valid);
                try
                {
                    json = JsonFormatter.Default.Format(valid);
                }
                catch (ArgumentException)
                {
                    json = brokenJson[random.Next(brokenJson.Length)];
                }
            }

            return new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>The request as JSON, its strings escaped; JSON cannot hold a lone surrogate, so then its wire bytes.</summary>
    private static string Describe(IMessage request)
    {
        try
        {
            return StoredText.Escape(JsonFormatter.Default.Format(request));
        }
        catch (ArgumentException)
        {
            return "protobuf " + Convert.ToHexString(request.ToByteArray()[..Math.Min(200, request.CalculateSize())]);
        }
    }

    /// <summary>
    /// What the officers' calls act on, made the way people make them: a delivered licence, and four cases in the
    /// county — two awaiting acceptance (补正, 不予受理), two accepted (核查, 审核, 延期, 不予许可).
    /// </summary>
    private static async Task<List<Target>> PrepareAsync(SystemUnderTest system, CallerTokens tokens)
    {
        var journey = system.Journey;
        var delivered = await journey.TravelAsync(SampleApplications.Individual());
        var owner = await system.Shopkeepers.AsAsync(CallerTokens.OwnerPhone);
        var clerk = new Metadata { { "Authorization", "Bearer " + await tokens.OfficerAsync(CallerTokens.County, "clerk") } };
        var cases = new List<Case>();
        foreach (var form in new[] { SampleApplications.Enterprise(), SampleApplications.Individual(), SampleApplications.Enterprise(), SampleApplications.Individual() })
        {
            var submitted = await journey.SubmitAsync(form);
            cases.Add(await journey.WaitForCaseAsync(submitted.ApplicationId, CallerTokens.County));
        }

        foreach (var accepted in cases.Skip(2))
        {
            await journey.Review.AcceptAsync(new CaseActionRequest { CaseId = accepted.CaseId }, clerk);
        }

        var draft = await journey.Intake.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, owner);
        var secondInspector = OfficerSignIn.Subject(await system.Officers.TokenAsync("hy-inspector2"));
        var licence = delivered.LicenceNumber;
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        CaseActionRequest On(int i) => new() { CaseId = cases[i].CaseId };
        return
        [
            new("permits.intake.v1.Applications/Submit", Owner, () => SampleApplications.Individual()),
            new("permits.intake.v1.Applications/SaveDraft", Owner, () => new SaveDraftRequest { DraftId = draft.DraftId, Form = SampleApplications.Individual() }),
            new("permits.intake.v1.Applications/UploadMaterial", Owner, () => new UploadMaterialRequest
            {
                DraftId = draft.DraftId, Kind = MaterialKind.PremisesPhoto, FileName = "门店.png", Content = Seed.TinyPng,
            }),
            new("permits.review.v1.Cases/RequestCorrection", Clerk, () => new RequestCorrectionRequest
            {
                Action = On(0), Items = { new Permits.Contracts.Review.V1.CorrectionItem { Material = "身份证明", Reason = "复印件不清晰" } },
            }),
            new("permits.review.v1.Cases/NotAccept", Clerk, () => new ReasonedActionRequest { Action = On(1), Reasons = { "不属于本机关职权范围" }, GroundCodes = { "NotInScope" } }),
            new("permits.review.v1.Cases/RecordInspection", Inspector, () => new RecordInspectionRequest
            {
                Action = On(2), SecondInspectorId = secondInspector, InspectedOn = today, Findings = "场所独立，与住所分开",
                MeasuredFloorArea = 32.5, Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 120 } },
                PhotoReferences = { "site/1.jpg" }, PremisesCompliant = true, Latitude = 30.4102, Longitude = 120.8107,
            }),
            new("permits.review.v1.Cases/RecordOpinion", Reviewer, () => new RecordOpinionRequest { Action = On(2), Recommendation = "Approve", Opinion = "材料齐全，符合条件" }),
            new("permits.review.v1.Cases/Extend", Head, () => new CaseActionRequest { CaseId = cases[3].CaseId, Note = "需补充核查" }),
            new("permits.review.v1.Cases/Deny", Head, () => new ReasonedActionRequest { Action = On(3), Reasons = { "距学校不足 50 米" }, GroundCodes = { "NearSchool" } }),
            new("permits.disclosure.v1.InformationRequests/FileRequest", Anonymous, Seed.InformationRequestSample),
            new("permits.certificate.v1.Certificates/ChangeCertificate", Head, () => new ChangeCertificateRequest
            {
                LicenceNumber = licence, Reason = "门牌号调整", PremisesAddress = "浙江省嘉兴市海盐县武原街道向阳路 20 号",
            }),
            new("permits.certificate.v1.Certificates/SuspendCertificate", Clerk, () => new SuspendCertificateRequest { LicenceNumber = licence, Reason = "装修停业" }),
            new("permits.certificate.v1.Certificates/ReissueCertificate", Clerk, () => new ReissueCertificateRequest { LicenceNumber = licence, Reason = "遗失补办" }),
        ];
    }
}

public sealed class When_fuzzing_the_inputs_on_sqlite(ITestOutputHelper output) : FuzzSmoke("Sqlite", output);

public sealed class When_fuzzing_the_inputs_on_postgresql(ITestOutputHelper output) : FuzzSmoke("PostgreSql", output);
