using Grpc.Core;
using Grpc.Net.Client;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Testing;
using Record = Permits.Contracts.Disclosure.V1.Record;
using SaveDraftRequest = Permits.Contracts.Intake.V1.SaveDraftRequest;

namespace Permits.Testing;

/// <summary>
/// One application from submission to delivery, driven only through the services' public gRPC calls; officers call
/// Review with real access tokens from Identity (<see cref="OfficerSignIn"/>).
/// </summary>
public sealed class LicenceJourney(
    GrpcChannel intake, GrpcChannel review, GrpcChannel disclosure, OfficerSignIn officers, ShopkeeperSignIn shopkeepers)
{
    /// <summary>The smallest valid PNG (1×1): what Intake accepts as an uploaded scan or photo.</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest pause between a journey's probes of the system (a case appearing, a status reached): the probes
    /// are load on Intake and Review that no real applicant makes every 200 ms, and a benchmark counts them.
    /// </summary>
    public static readonly TimeSpan SlowestProbePause = TimeSpan.FromSeconds(1);

    /// <summary>How long each wait for the system may take: <see cref="StepTimeout"/> unless a benchmark under load says otherwise.</summary>
    public TimeSpan Patience { get; init; } = StepTimeout;

    /// <summary>
    /// What each of a journey's own actions (submitting; accepting; inspecting, opinion and approval) passes through
    /// when set: the fault run holds them while it kills a process, so what it tests is the system's work between the
    /// calls (relays, consumers, the courier), not the caller's retrying of a call cut off mid-way.
    /// </summary>
    public IJourneyGate? Gate { get; set; }

    /// <summary>Told how long each public call of the journey took (submit, accept, inspect, opinion, approve), if set.</summary>
    public Action<string, TimeSpan>? Measured { get; init; }

    private static int _sites;

    public Applications.ApplicationsClient Intake { get; } = new(intake);

    public Cases.CasesClient Review { get; } = new(review);

    public DisclosureLog.DisclosureLogClient Disclosure { get; } = new(disclosure);

    public OfficerSignIn Officers { get; } = officers;

    public ShopkeeperSignIn Shopkeepers { get; } = shopkeepers;

    /// <summary>What each submitted application answered: its 查询码 and the contact phone its owner signs in with.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string QueryCode, string Phone)> _submitted = new();

    /// <summary>The 查询码 Intake gave at submit: with the number it opens the public view.</summary>
    public string QueryCodeOf(string applicationId) => _submitted[applicationId].QueryCode;

    /// <summary>
    /// As the shopkeeper does it, signed in by SMS with the application's contact number: saves a draft, uploads every
    /// material Intake requires for the county and request type, and submits the draft.
    /// </summary>
    public async Task<SubmitApplicationResponse> SubmitAsync(SubmitApplicationRequest request)
    {
        var shopkeeper = await Shopkeepers.AsAsync(request.ContactPhone);
        var draft = await Intake.SaveDraftAsync(new SaveDraftRequest { Form = request }, shopkeeper);
        var required = await Intake.GetRequirementsAsync(
            new GetRequirementsRequest { CountyCode = request.CountyCode, RequestType = request.RequestType });
        foreach (var kind in required.Materials)
        {
            var uploaded = await Intake.UploadMaterialAsync(new UploadMaterialRequest
            {
                DraftId = draft.DraftId, Kind = kind, FileName = $"{kind}.png", Content = Google.Protobuf.ByteString.CopyFrom(TinyPng),
            }, shopkeeper);
            Assert.Equal("image/png", uploaded.ContentType);
        }

        var submission = request.Clone();
        submission.DraftId = draft.DraftId;
        var submitted = await TimedAsync("submit", () => Intake.SubmitAsync(submission, shopkeeper).ResponseAsync);
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}$", submitted.QueryCode);
        _submitted[submitted.ApplicationId] = (submitted.QueryCode, request.ContactPhone);

        // The application is the shopkeeper's own: it is in their list, the draft is gone.
        var mine = await Intake.ListMyApplicationsAsync(new ListMyApplicationsRequest(), shopkeeper);
        Assert.Contains(mine.Applications, a => a.ApplicationId == submitted.ApplicationId);
        Assert.DoesNotContain(mine.Drafts, d => d.DraftId == draft.DraftId);
        return submitted;
    }

    /// <summary>The case of an application, as an approving head of its county sees it.</summary>
    public async Task<Case> WaitForCaseAsync(string applicationId, string county) =>
        await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    return await Review.GetCaseAsync(new GetCaseRequest { ApplicationId = applicationId }, await Officers.AsAsync(county, "head"));
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                {
                    return null;
                }
            },
            _ => true, Patience, $"a review case for application {applicationId}", SlowestProbePause);

    /// <summary>Submits, accepts, approves, and waits until Intake reports the licence delivered.</summary>
    public async Task<Application> TravelAsync(SubmitApplicationRequest request)
    {
        var submitted = await GatedAsync(() => SubmitAsync(request));
        var reviewCase = await WaitForCaseAsync(submitted.ApplicationId, request.CountyCode);
        Assert.Equal("AwaitingAcceptance", reviewCase.Stage);

        var accepted = await GatedAsync(async () =>
        {
            var clerk = await Officers.AsAsync(reviewCase.CountyCode, "clerk");
            return await TimedAsync("accept", () => Review.AcceptAsync(Act(reviewCase), clerk).ResponseAsync);
        });
        Assert.Equal("UnderReview", accepted.Stage);
        Assert.NotEmpty(accepted.AcceptanceDocumentNumber);

        var approved = await GatedAsync(() => DecideAsync(reviewCase));
        Assert.Equal("Approved", approved.Stage);

        // Intake hears of the licence (CertificateIssued) and of its delivery (ShipmentDelivered) from different
        // services: after a fault the delivery may be told first, the licence number on a consumer's retry later.
        return await WaitForStatusAsync(submitted.ApplicationId, "Delivered", a => a.LicenceNumber.Length > 0 && a.WaybillNumber.Length > 0);
    }

    /// <summary>
    /// What a new licence needs before the head approves it, each by its own officer with a real token: the site
    /// inspection by two inspectors (the first calls, the second is named by the id in their own token), the
    /// reviewer's opinion, then the head's approval.
    /// </summary>
    public async Task<Case> DecideAsync(Case reviewCase)
    {
        var county = reviewCase.CountyCode;
        await InspectAsync(reviewCase);
        var reviewer = await Officers.AsAsync(county, "reviewer");
        var reviewed = await TimedAsync("opinion", () => Review.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = Act(reviewCase), Recommendation = "Approve", Opinion = "符合条件，建议准予许可",
        }, reviewer).ResponseAsync);
        Assert.NotEmpty(reviewed.OpinionDocumentNumber);

        var head = await Officers.AsAsync(county, "head");
        return await TimedAsync("approve", () => Review.ApproveAsync(Act(reviewCase), head).ResponseAsync);
    }

    /// <summary>The site inspection by two inspectors of the case's county (the first calls, the second is named).</summary>
    public async Task InspectAsync(Case reviewCase)
    {
        var county = reviewCase.CountyCode;
        var secondInspector = OfficerSignIn.Subject(await Officers.TokenAsync(OfficerSignIn.Username(county, "inspector2")));
        var site = SiteOf(Interlocked.Increment(ref _sites));
        var inspector = await Officers.AsAsync(county, "inspector");
        var inspected = await TimedAsync("inspect", () => Review.RecordInspectionAsync(new RecordInspectionRequest
        {
            Action = Act(reviewCase),
            SecondInspectorId = secondInspector,
            InspectedOn = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Findings = "经营场所与住所相独立，面积与申报一致",
            MeasuredFloorArea = 35,
            Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 150 } },
            PhotoReferences = { "e2e/site-1.jpg" },
            PremisesCompliant = true,
            Latitude = site.Latitude,
            Longitude = site.Longitude,
        }, inspector).ResponseAsync);
        Assert.NotEmpty(inspected.InspectionDocumentNumber);
    }

    /// <summary>
    /// Where the <paramref name="index"/>th journey's shop is: a lattice 0.006° of latitude (~670 m) by 0.007° of
    /// longitude (~670 m) apart, south-west of the demo schools (20 km and more away), so every journey lands in its own
    /// 500 m 网格 cell and far from every other outlet: thousands of journeys in one county pass the distance and quota
    /// rules of Review's 合理布局 check.
    /// </summary>
    public static (double Latitude, double Longitude) SiteOf(int index) =>
        (29.70 + (index / 100 * 0.006), 120.00 + (index % 100 * 0.007));

    /// <summary>
    /// What every request type but 新办 needs before the head decides (Review's ReviewRequirements: the opinion only,
    /// no site inspection): the reviewer's opinion, then the head's approval.
    /// </summary>
    public async Task<Case> DecideOnOpinionAsync(Case reviewCase)
    {
        var county = reviewCase.CountyCode;
        var reviewed = await Review.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = Act(reviewCase), Recommendation = "Approve", Opinion = "材料齐全，符合规定，建议准予",
        }, await Officers.AsAsync(county, "reviewer"));
        Assert.NotEmpty(reviewed.OpinionDocumentNumber);

        return await Review.ApproveAsync(Act(reviewCase), await Officers.AsAsync(county, "head"));
    }

    private Task<T> GatedAsync<T>(Func<Task<T>> action) => Gate is null ? action() : Gate.PassAsync(action);

    /// <summary>
    /// Waits (bounded by <paramref name="patience"/>) until the journey's gRPC channels are connected again. After a
    /// service restarts, a channel that failed to reach it waits out its reconnect backoff and meanwhile fails every
    /// call at once with the old "connection refused"; a fault run opens its gate only once they are ready.
    /// </summary>
    public async Task ReconnectAsync(TimeSpan patience)
    {
        using var bounded = new CancellationTokenSource(patience);
        await Task.WhenAll(intake.ConnectAsync(bounded.Token), review.ConnectAsync(bounded.Token), disclosure.ConnectAsync(bounded.Token));
    }

    private async Task<T> TimedAsync<T>(string step, Func<Task<T>> call)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await call();
        Measured?.Invoke(step, clock.Elapsed);
        return result;
    }

    /// <summary>An action on the case; who acts is the token the call carries.</summary>
    public static CaseActionRequest Act(Case reviewCase) => new() { CaseId = reviewCase.CaseId };

    /// <summary>The application as its owner sees it (signed in), once it reaches the status (and shows what else is asked).</summary>
    public async Task<Application> WaitForStatusAsync(string applicationId, string status, Func<Application, bool>? andShows = null) =>
        await Eventually.GetAsync(
            async () => await Intake.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = applicationId }, await Shopkeepers.AsAsync(_submitted[applicationId].Phone)),
            application => application.Status == status && (andShows is null || andShows(application)),
            Patience, $"application {applicationId} to reach {status}", SlowestProbePause);

    /// <summary>Every disclosure record of one application, in log order, once the expected number is there.</summary>
    public async Task<IReadOnlyList<Record>> WaitForRecordsAsync(string applicationNumber, int count) =>
        await Eventually.GetAsync(
            async () =>
            {
                var reply = await Disclosure.ListRecordsAsync(new ListRecordsRequest { ApplicationNumber = applicationNumber, PageSize = 100 });
                return (IReadOnlyList<Record>)reply.Records.ToList();
            },
            records => records.Count >= count, Patience, $"{count} disclosure records of {applicationNumber}");

    public static readonly string[] HappyPathKinds =
    [
        "application-submitted", "application-accepted", "site-inspected", "review-opinion-recorded", "licence-approved", "certificate-issued",
        "shipment-dispatched", "shipment-picked-up", "shipment-in-transit", "shipment-delivered",
    ];
}

/// <summary>Where a journey's actions wait while something outside them must not overlap them.</summary>
public interface IJourneyGate
{
    Task<T> PassAsync<T>(Func<Task<T>> action);
}
