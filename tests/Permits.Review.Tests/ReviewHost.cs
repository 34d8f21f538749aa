using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts;
using Permits.Contracts.Intake;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Review.Workers;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// The Review service alone on a real database, over real gRPC, with a hand-moved clock and the real Identity service
/// beside it (<see cref="IdentityServer"/>). Its relay and its deadline timer loop are off: tests count what a call
/// left in the outbox, and run the timer's poll themselves.
/// </summary>
public sealed class ReviewHost : ServiceHost
{
    private ReviewHost(string provider, ManualTime time, string? connectionString)
        : base("review", provider, connectionString)
    {
        Time = time;
    }

    /// <summary>Signs every call as the officer the request names (see <see cref="OfficerTokens"/>).</summary>
    public Cases.CasesClient Client => new(Channel.Intercept(new OfficerTokens()));

    /// <summary>Sends what the test gives, headers included, and nothing more.</summary>
    public Cases.CasesClient Unsigned => new(Channel);

    public ManualTime Time { get; }

    private static int _sites;

    /// <summary>The request located at a site of its own (<see cref="NextSite"/>).</summary>
    public static RecordInspectionRequest Located(RecordInspectionRequest request)
    {
        (request.Latitude, request.Longitude) = NextSite();
        return request;
    }

    /// <summary>
    /// A shop site of its own: a lattice ~670 m apart, far from the demo schools, so each inspected case lands in its
    /// own 网格 cell and passes the layout rules.
    /// </summary>
    public static (double Latitude, double Longitude) NextSite()
    {
        var index = Interlocked.Increment(ref _sites);
        return (29.70 + (index / 100 * 0.006), 120.00 + (index % 100 * 0.007));
    }

    public DeadlineWatcher Watcher => Services.GetRequiredService<DeadlineWatcher>();

    public static Task<string> NewDatabaseAsync(string provider) => CreateDatabaseAsync("review", provider);

    public static async Task<ReviewHost> StartAsync(string provider, ManualTime time, string? connectionString = null)
    {
        var host = new ReviewHost(provider, time, connectionString);
        var identity = host.Own(await IdentityServer.StartAsync());
        await host.StartAsync(new ServiceSetup
        {
            Settings =
            {
                ["Review:Deadlines:Enabled"] = "false",
                ["Services:Identity:Url"] = identity.GrpcUrl,
            },
            Time = time,
            Add = builder => builder.AddReviewService(),
            Map = app => app.MapReviewService(),
        });
        return host;
    }

    /// <summary>A two-inspector site inspection, today, of premises that comply, at a site of its own.</summary>
    public RecordInspectionRequest CompliantInspection(string caseId, string county = Officers.Haiyan)
    {
        var site = NextSite();
        return new RecordInspectionRequest
        {
            Action = Officers.Act(caseId, "inspector", county),
            SecondInspectorId = SecondInspector(county),
            InspectedOn = ChinaTime.Text(Time.ChinaToday),
            Findings = "场所独立，与住所分开",
            MeasuredFloorArea = 32.5,
            Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 120 } },
            PremisesCompliant = true,
            Latitude = site.Latitude,
            Longitude = site.Longitude,
        };
    }

    /// <summary>
    /// The steps a decision needs, done by the officers whose role they are: the site inspection (two inspectors,
    /// unless <paramref name="inspect"/> is false) and the review opinion.
    /// </summary>
    public async Task<Case> InspectAndReviewAsync(string caseId, bool inspect = true, string county = Officers.Haiyan)
    {
        if (inspect)
        {
            await Client.RecordInspectionAsync(CompliantInspection(caseId, county));
        }

        return await Client.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = Officers.Act(caseId, "reviewer", county), Recommendation = "Approve", Opinion = "材料齐全，符合条件",
        });
    }

    /// <summary>An application arrives (as Intake's event would deliver it) and its case opens.</summary>
    /// <param name="shape">Changes the event before it is published (a lease end, a change date, …).</param>
    public async Task<Case> SubmitAsync(
        string county = Officers.Haiyan, string requestType = RequestTypes.New, DateTimeOffset? at = null, string? licenceNumber = null,
        string? holderMatch = null, Func<ApplicationSubmitted, ApplicationSubmitted>? shape = null)
    {
        var applicationId = await PublishSubmittedAsync(county, requestType, at, licenceNumber, holderMatch, shape);
        return await WaitForAsync(
            async () =>
            {
                try
                {
                    return await Client.GetCaseAsync(
                        new GetCaseRequest { ApplicationId = applicationId.ToString() }, OfficerTokens.Headers(OfficerTokens.For("head-" + county, "head", county)));
                }
                catch (global::Grpc.Core.RpcException ex) when (ex.StatusCode == global::Grpc.Core.StatusCode.NotFound)
                {
                    return null;
                }
            },
            _ => true, $"the case of {applicationId}");
    }

    /// <summary>Publishes an application's arrival without waiting for its case.</summary>
    /// <param name="licenceNumber">A request on a licence: the licence, and how Intake matched the applicant to its holder.</param>
    public async Task<Guid> PublishSubmittedAsync(
        string county = Officers.Haiyan, string requestType = RequestTypes.New, DateTimeOffset? at = null, string? licenceNumber = null,
        string? holderMatch = null, Func<ApplicationSubmitted, ApplicationSubmitted>? shape = null)
    {
        var applicationId = Guid.NewGuid();
        shape ??= e => e;
        await PublishAsync(shape(new ApplicationSubmitted(
            applicationId, $"SQ{applicationId:N}"[..20], county, requestType, "IndividualBusiness", "海盐示范便利店", null,
            "张三丰", "海盐县武原街道示范路 1 号", 35m, null, new DeliveryChoice(DeliveryMethod.Pickup, "张三丰", "13800000000", null),
            at ?? Time.GetUtcNow())
        {
            LicenceNumber = licenceNumber,
            HolderMatch = holderMatch,
        }));
        return applicationId;
    }

    public async Task ResubmitAsync(Case reviewCase, DateTimeOffset at)
    {
        await PublishAsync(new ApplicationResubmitted(
            Guid.Parse(reviewCase.ApplicationId), reviewCase.ApplicationNumber, reviewCase.CountyCode, at));
        await WaitUntilAsync(
            async () => (await GetAsync(reviewCase.CaseId)).Stage != "AwaitingCorrection", $"the clock of {reviewCase.CaseId} to resume");
    }

    /// <summary>A case as an approving head of its own county sees it.</summary>
    public async Task<Case> GetAsync(string caseId)
    {
        var county = (await QueryAsync<string>("SELECT county_code FROM review_cases WHERE id = @Id", new { Id = Guid.Parse(caseId) })).SingleOrDefault() ?? Officers.Haiyan;
        return await Client.GetCaseAsync(new GetCaseRequest { CaseId = caseId }, OfficerTokens.Headers(OfficerTokens.For("head-" + county, "head", county)));
    }

    public Task<long> CountAsync(string sql, object? parameters = null) => ScalarAsync<long>(sql, parameters);

    /// <summary>Bodies of one event type in the outbox, with JSON escapes undone so Chinese text can be searched.</summary>
    public async Task<IReadOnlyList<string>> OutboxBodiesAsync<T>() =>
        (await QueryAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE @Type", new { Type = typeof(T).FullName + ",%" }))
        .Select(System.Text.RegularExpressions.Regex.Unescape).ToList();

    /// <summary>A real second inspector of the county (a demo account in <see cref="IdentityServer"/>).</summary>
    public static string SecondInspector(string county = Officers.Haiyan) => county == Officers.Jiashan ? "o-js-inspector2" : "o-hy-inspector2";
}
