using System.Data.Common;
using Dapper;
using Grpc.Core.Interceptors;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Permits.Contracts;
using Permits.Contracts.Intake;
using Permits.Contracts.Review.V1;
using Permits.LocalInfra;
using Permits.Review.Workers;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// The Review service alone on a real database, over real gRPC, with a hand-moved clock. Its relay and its deadline
/// timer loop are off: tests count what a call left in the outbox, and run the timer's poll themselves.
/// </summary>
public sealed class ReviewHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IdentityServer _identity;

    private ReviewHost(WebApplication app, IdentityServer identity, string provider, string connectionString, string grpcUrl, ManualTime time)
    {
        _app = app;
        _identity = identity;
        Provider = provider;
        ConnectionString = connectionString;
        Time = time;
        var channel = Channels.For(grpcUrl);
        Client = new Cases.CasesClient(channel.Intercept(new OfficerTokens()));
        Unsigned = new Cases.CasesClient(channel);
    }

    /// <summary>Signs every call as the officer the request names (see <see cref="OfficerTokens"/>).</summary>
    public Cases.CasesClient Client { get; }

    /// <summary>Sends what the test gives, headers included, and nothing more.</summary>
    public Cases.CasesClient Unsigned { get; }

    public ManualTime Time { get; }

    public string Provider { get; }

    public string ConnectionString { get; }

    public DeadlineWatcher Watcher => _app.Services.GetRequiredService<DeadlineWatcher>();

    public static async Task<string> NewDatabaseAsync(string provider)
    {
        if (provider == "PostgreSql")
        {
            return await (await TestServers.GetAsync()).NewDatabaseAsync("review_tests");
        }

        var folder = Path.Combine(Path.GetTempPath(), "permits-review-tests", Guid.NewGuid().ToString("N"));
        return $"Data Source={Path.Combine(folder, "review.db")}";
    }

    public static async Task<ReviewHost> StartAsync(string provider, ManualTime time, string? connectionString = null)
    {
        connectionString ??= await NewDatabaseAsync(provider);
        var identity = await IdentityServer.StartAsync();
        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = provider,
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = connectionString,
            ["Bus:Transport"] = "InMemory",
            ["Outbox:RelayEnabled"] = "false",
            ["Review:Deadlines:Enabled"] = "false",
            ["Services:Identity:Url"] = identity.GrpcUrl,
        });
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddReviewService();
        builder.AddPermitsBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapReviewService();
        await app.StartAsync();
        return new ReviewHost(app, identity, provider, connectionString, grpcUrl, time);
    }

    /// <summary>
    /// The steps a decision needs, done by the officers whose role they are: the site inspection (two inspectors,
    /// unless <paramref name="inspect"/> is false) and the review opinion.
    /// </summary>
    public async Task<Case> InspectAndReviewAsync(string caseId, bool inspect = true, string county = Officers.Haiyan)
    {
        if (inspect)
        {
            await Client.RecordInspectionAsync(new RecordInspectionRequest
            {
                Action = Officers.Act(caseId, "inspector", county),
                SecondInspectorId = SecondInspector(county),
                InspectedOn = Permits.Shared.Domain.ChinaTime.DateOf(Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Findings = "场所独立，与住所分开",
                MeasuredFloorArea = 32.5,
                Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 120 } },
                PremisesCompliant = true,
            });
        }

        return await Client.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = Officers.Act(caseId, "reviewer", county), Recommendation = "Approve", Opinion = "材料齐全，符合条件",
        });
    }

    /// <summary>An application arrives (as Intake's event would deliver it) and its case opens.</summary>
    public async Task<Case> SubmitAsync(
        string county = Officers.Haiyan, string requestType = "New", DateTimeOffset? at = null, string? licenceNumber = null, string? holderMatch = null)
    {
        var applicationId = await PublishSubmittedAsync(county, requestType, at, licenceNumber, holderMatch);
        return await Eventually.GetAsync(
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
            _ => true, TimeSpan.FromSeconds(30), $"the case of {applicationId}");
    }

    /// <summary>Publishes an application's arrival without waiting for its case.</summary>
    /// <param name="licenceNumber">A request on a licence: the licence, and how Intake matched the applicant to its holder.</param>
    public async Task<Guid> PublishSubmittedAsync(
        string county = Officers.Haiyan, string requestType = "New", DateTimeOffset? at = null, string? licenceNumber = null, string? holderMatch = null)
    {
        var applicationId = Guid.NewGuid();
        await _app.Services.GetRequiredService<IBus>().Publish(new ApplicationSubmitted(
            applicationId, $"SQ{applicationId:N}"[..20], county, requestType, "IndividualBusiness", "海盐示范便利店", null,
            "张三丰", "海盐县武原街道示范路 1 号", 35m, null, new DeliveryChoice(DeliveryMethod.Pickup, "张三丰", "13800000000", null),
            at ?? Time.GetUtcNow())
        {
            LicenceNumber = licenceNumber,
            HolderMatch = holderMatch,
        });
        return applicationId;
    }

    public async Task ResubmitAsync(Case reviewCase, DateTimeOffset at)
    {
        var applicationId = Guid.Parse(reviewCase.ApplicationId);
        await _app.Services.GetRequiredService<IBus>().Publish(new ApplicationResubmitted(
            applicationId, reviewCase.ApplicationNumber, reviewCase.CountyCode, at));
        await Eventually.TrueAsync(
            async () => (await GetAsync(reviewCase.CaseId)).Stage != "AwaitingCorrection",
            TimeSpan.FromSeconds(30), $"the clock of {reviewCase.CaseId} to resume");
    }

    /// <summary>Publishes another service's event onto this host's bus.</summary>
    public Task PublishAsync<T>(T message) where T : class => _app.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>A case as an approving head of its own county sees it.</summary>
    public async Task<Case> GetAsync(string caseId)
    {
        var county = (await QueryAsync<string>("SELECT county_code FROM review_cases WHERE id = @Id", new { Id = Guid.Parse(caseId) })).SingleOrDefault() ?? Officers.Haiyan;
        return await Client.GetCaseAsync(new GetCaseRequest { CaseId = caseId }, OfficerTokens.Headers(OfficerTokens.For("head-" + county, "head", county)));
    }

    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    /// <summary>Messages of one event type waiting in the outbox (the relay is off).</summary>
    public Task<long> OutboxCountAsync<T>() =>
        CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE @Type", new { Type = typeof(T).FullName + ",%" });

    /// <summary>Bodies of one event type in the outbox, with JSON escapes undone so Chinese text can be searched.</summary>
    public async Task<IReadOnlyList<string>> OutboxBodiesAsync<T>() => (await RawOutboxBodiesAsync<T>()).Select(System.Text.RegularExpressions.Regex.Unescape).ToList();

    private async Task<IReadOnlyList<string>> RawOutboxBodiesAsync<T>() =>
        await QueryAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE @Type", new { Type = typeof(T).FullName + ",%" });

    public DbConnection Open() =>
        Provider == "PostgreSql" ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    /// <summary>A real second inspector of the county (a demo account in <see cref="IdentityServer"/>).</summary>
    public static string SecondInspector(string county = Officers.Haiyan) => county == Officers.Jiashan ? "o-js-inspector2" : "o-hy-inspector2";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _identity.DisposeAsync();
    }
}
