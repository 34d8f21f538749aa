using System.Data.Common;
using Npgsql;
using Permits.Contracts.Intake.V1;
using Permits.LocalInfra;

namespace Permits.Testing;

/// <summary>
/// The distributed system as <c>./build.sh up</c> runs it (every service its own process) on a PostgreSQL and a
/// RabbitMQ of its own, which it may restart, with the journey driver pointed at it: what the journey benchmark and
/// the fault test drive. The end-to-end fixture shares <see cref="Environment"/> and <see cref="TestClients"/>.
/// </summary>
public sealed class JourneySystem : IAsyncDisposable
{
    private JourneySystem(PostgresServer postgres, RabbitMqServer rabbitMq, DistributedSystem system, LicenceJourney journey)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        System = system;
        Journey = journey;
    }

    /// <summary>
    /// Every process's settings for a journey in seconds rather than days: the fake courier moves a parcel on every
    /// 0.3 s, Delivery looks for work often (and polls a shipment the courier has not called back about for 3 s), and
    /// relays poll twice a second when no commit wakes them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["FakeCourier__StepSeconds"] = "0.3",
        ["Delivery__BookingPollMs"] = "200",
        ["Delivery__TrackingPollMs"] = "300",
        ["Delivery__SilentAfterMs"] = "3000",
        ["Outbox__PollIntervalMs"] = "500",
    };

    /// <summary>
    /// With <c>PERMITS_PERF_MAP=1</c> in the bench's own environment, every service also writes the JIT's symbol map
    /// (<c>DOTNET_PerfMapEnabled</c>) so <c>perf record -g -p PID</c> names managed frames; off otherwise, as it costs.
    /// W^X goes off with it: code the JIT wrote through a second mapping shows in perf as an anonymous memfd, unnamed.
    /// </summary>
    private static IReadOnlyDictionary<string, string> PerfMap(IReadOnlyDictionary<string, string> environment) =>
        global::System.Environment.GetEnvironmentVariable("PERMITS_PERF_MAP") == "1"
            ? new Dictionary<string, string>(environment) { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" }
            : environment;

    /// <summary>Identity's test clients, after the Portal's (index 0): officers by password grant, shopkeepers by SMS.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> TestClients { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [DistributedSystem.Identity] = OfficerSignIn.ClientConfiguration(1, "__")
                .Concat(ShopkeeperSignIn.ClientConfiguration(2, "__"))
                .ToDictionary(e => e.Key, e => e.Value!),
        };

    public PostgresServer Postgres { get; }

    public RabbitMqServer RabbitMq { get; }

    public DistributedSystem System { get; }

    public LicenceJourney Journey { get; }

    /// <summary>The databases of the services that have one, by service name.</summary>
    public static IReadOnlyList<string> Databases => DistributedSystem.BackEndServices;

    /// <summary>Starts PostgreSQL and RabbitMQ (under <paramref name="purpose"/>'s work folder), then every service.</summary>
    public static async Task<JourneySystem> StartAsync(string purpose, string configuration, TimeSpan patience, Action<string, TimeSpan>? measured = null)
    {
        var work = RepoPaths.ServerWork(purpose);
        // Crash-safe: the fault run kills PostgreSQL, and a commit it acknowledged (a consumer's, whose message the
        // broker then dropped) must survive that as on a production server; the benchmark measures the same commits.
        var postgresStart = PostgresServer.StartAsync(work, crashSafe: true, statementStatistics: true);
        var rabbitStart = RabbitMqServer.StartAsync(work);
        var (postgres, rabbitMq) = (await postgresStart, await rabbitStart);
        try
        {
            var logs = Path.Combine(RepoPaths.Root, "artifacts", "test-logs", $"{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
            var system = await DistributedSystem.StartAsync(new DistributedSystemOptions(
                configuration, postgres.ConnectionString, rabbitMq.AmqpUri(), logs)
            {
                ExtraEnvironment = PerfMap(Environment),
                // A machine busy enough to be worth measuring starts a service slowly, and the fault run restarts each.
                HealthTimeout = TimeSpan.FromMinutes(3),
                ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    [DistributedSystem.Identity] = new Dictionary<string, string>(TestClients[DistributedSystem.Identity])
                    {
                        // One driver on one address plays thousands of applicants, each asking a code for their number.
                        ["Identity__Limits__SmsNumbersPerClientPerHour"] = "1000000",
                        ["Identity__Limits__SmsCodesPerHour"] = "1000000",
                    },
                },
            });
            var journey = new LicenceJourney(
                Channels.For(system.GrpcUrlOf(DistributedSystem.Intake)),
                Channels.For(system.GrpcUrlOf(DistributedSystem.Review)),
                Channels.For(system.GrpcUrlOf(DistributedSystem.Disclosure)),
                new OfficerSignIn(system.UrlOf(DistributedSystem.Identity)),
                new ShopkeeperSignIn(system.UrlOf(DistributedSystem.Identity), system.UrlOf(DistributedSystem.FakeSms)))
            {
                Patience = patience,
                Measured = measured,
            };
            return new JourneySystem(postgres, rabbitMq, system, journey);
        }
        catch
        {
            await rabbitMq.DisposeAsync();
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The <paramref name="index"/>th journey's application: a new licence in 海盐县 or 嘉善县 (the counties with demo
    /// officers), each with its own shopkeeper's mobile number, so each journey signs in by SMS as its own applicant.
    /// </summary>
    public static SubmitApplicationRequest ApplicationFor(int index)
    {
        var request = SampleApplications.Individual(index % 2 == 0 ? "330424" : "330421");
        request.ContactPhone = $"139{index:D8}";
        request.Delivery.RecipientPhone = request.ContactPhone;
        return request;
    }

    /// <summary>
    /// Runs <paramref name="count"/> journeys (the <paramref name="first"/>th application onwards),
    /// <paramref name="concurrency"/> at a time, and returns each one's delivered application in journey order; the
    /// first failure ends the run. With <paramref name="perSecond"/>, journeys start on a fixed schedule (the
    /// <c>i</c>th at <c>i / perSecond</c> seconds, whatever the earlier ones are doing: an open loop, as users arrive),
    /// still never more than <paramref name="concurrency"/> at once; a start the limit held back starts late.
    /// </summary>
    public async Task<IReadOnlyList<Application>> TravelAsync(
        int count, int concurrency, int first = 0, CancellationToken ct = default, double? perSecond = null)
    {
        var delivered = new Application[count];
        if (perSecond is not { } rate)
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
                async (i, _) => delivered[i] = await Journey.TravelAsync(ApplicationFor(first + i)));
            return delivered;
        }

        using var slots = new SemaphoreSlim(concurrency);
        var clock = global::System.Diagnostics.Stopwatch.StartNew();
        var journeys = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }

            await slots.WaitAsync(ct);
            var index = i;
            journeys.Add(Task.Run(async () =>
            {
                try
                {
                    delivered[index] = await Journey.TravelAsync(ApplicationFor(first + index));
                }
                finally
                {
                    slots.Release();
                }
            }, ct));
        }

        await Task.WhenAll(journeys);
        return delivered;
    }

    public DbConnection OpenDatabase(string service) =>
        new NpgsqlConnection(Postgres.ConnectionString($"permits_{service.ToLowerInvariant()}"));

    public async ValueTask DisposeAsync()
    {
        Journey.Officers.Dispose();
        Journey.Shopkeepers.Dispose();
        await System.DisposeAsync();
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
