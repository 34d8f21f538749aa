using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Permits.Contracts.Review.V1;
using Permits.LocalInfra;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Benchmarks;

/// <summary>
/// `./build.sh bench floor [scale]`: the CPU each irreducible piece of a licence's guarantees costs on this machine,
/// with none of the services' code in the way: a consumer's inbox-and-outbox transaction on a crash-safe PostgreSQL, a
/// durable confirmed message through RabbitMQ, an authenticated gRPC call on loopback, RS256 signatures, a signed
/// document. Each runs warm for a few seconds, then a fixed count (times <c>scale</c>), and is measured as CPU of the
/// server's processes (/proc) and of this process. Then what those units alone put under one licence, at the counts
/// the journey benchmark measures today. Figures only, nothing asserted.
/// </summary>
public static class FloorBenchmark
{
    /// <summary>As many at once as the journey benchmark drives journeys.</summary>
    private const int Concurrency = 32;

    /// <summary>Each unit runs this long (and at least a quarter of its count) before it is measured: pools, JIT tiers.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    // What one licence needs today, from the journey benchmark (`./build.sh bench journey 400 32`, the figures of issue
    // 19; README "Throughput" shows a 1000-licence run with the same counts): per licence 86.6 commits over every
    // service database, 21 messages published (outbox rows) and 27 consumed (inbox rows).
    private const double Commits = 86.6;
    private const double MessagesOut = 21;
    private const double MessagesIn = 27;

    /// <summary>
    /// Signed PDFs Certificate issues a licence in the journey: the formal documents of its steps (受理通知书, 实地核查记录,
    /// 审查意见, 准予行政许可决定书, 送达回证: five official_documents rows a licence in the journey benchmark's statements).
    /// The licence face is rendered when it is downloaded, which the journey does not do.
    /// </summary>
    private const double Documents = 5;

    /// <summary>
    /// The journey's own gRPC calls (LicenceJourney, the driver's status probes GetCase and GetMyApplication left out):
    /// SaveDraft, GetRequirements, UploadMaterial ×4 (a 新办's materials, Intake's requirements.json), Submit,
    /// ListMyApplications; Accept, RecordInspection, RecordOpinion, Approve.
    /// </summary>
    private const double PublicCalls = 12;

    /// <summary>
    /// The shopkeeper's SMS sign-in, once a journey (ShopkeeperSignIn; officers' tokens are reused across journeys):
    /// to Identity GET authorize, GET the SMS page, POST send, POST verify, GET authorize again, POST token. HTML
    /// pages with cookies and antiforgery rather than gRPC; counted here at an authenticated gRPC call's cost.
    /// </summary>
    private const double SignInRequests = 6;

    /// <summary>The sign-in's RS256 signatures: the access token and the identity token (scope openid).</summary>
    private const double TokenSignatures = 2;

    /// <summary>The shopkeeper's new token is checked once, by Intake; then remembered (PermitsTokenValidator).</summary>
    private const double TokenVerifications = 1;

    /// <summary>What the journey benchmark measures a licence costs today, every process together (issue 19).</summary>
    private const double TodayMilliseconds = 216;

    public static async Task RunAsync(double scale)
    {
        int Count(int count) => Math.Max(100, (int)(count * scale));
        Console.WriteLine($"Floor benchmark: the unit costs of a licence's guarantees, {Environment.ProcessorCount} CPUs " +
            $"(load average {LoadAverage()}); CPU ms each = the server's processes + this process");
        var work = RepoPaths.ServerWork("bench-floor");
        var (consumer, bare) = await DatabaseAsync(work, Count(25_000));
        var (oneQueue, twoQueues) = await BrokerAsync(work, Count(50_000));
        var call = await CallsAsync(Count(100_000));
        var (signature, verification) = await TokensAsync(Count(10_000), Count(100_000));
        Console.WriteLine("Signed document: DocumentBenchmark's issued document (SM2 signature of its token, render, SHA-256, " +
            "SM2 signature of the PDF), this process, one at a time:");
        var document = DocumentBenchmark.IssuedDocumentCpuMilliseconds(Count(600));

        Console.WriteLine();
        Console.WriteLine($"The floor these units put under one licence (counts of today's design, from the journey benchmark), " +
            $"load average {LoadAverage()}:");
        Console.WriteLine($"  {"unit",-62} {"CPU ms",8} {"× a licence",11} {"= ms",8}");
        var rows = new (string Kind, string Unit, double Each, double Times)[]
        {
            ("PostgreSQL", "consumer transaction (inbox + outbox row), per message in", consumer.Total, MessagesIn),
            ("PostgreSQL", "other commit (BEGIN; INSERT; COMMIT): commits − messages in", bare.Total, Commits - MessagesIn),
            ("RabbitMQ", "message published, confirmed, consumed, acked (1 queue)", oneQueue.Total, MessagesOut),
            ("RabbitMQ", "each further queue a message reaches (2-queue − 1-queue run)", twoQueues.Total - oneQueue.Total, MessagesIn - MessagesOut),
            ("calls", "authenticated gRPC call, client + server (journey's calls)", call.Total, PublicCalls),
            ("calls", "sign-in request to Identity, at an authenticated call's cost", call.Total, SignInRequests),
            ("calls", "RS256 signature (access and identity token)", signature.Total, TokenSignatures),
            ("calls", "RS256 verification (the shopkeeper's new token)", verification.Total, TokenVerifications),
            ("documents", "signed document", document, Documents),
        };
        foreach (var (_, unit, each, times) in rows)
        {
            Console.WriteLine($"  {unit,-62} {each,8:F3} {times,11:F1} {each * times,8:F1}");
        }

        Console.WriteLine("  by kind, ms a licence: " + string.Join(", ",
            rows.GroupBy(r => r.Kind).Select(g => $"{g.Key} {g.Sum(r => r.Each * r.Times):F1}")));
        var floor = rows.Sum(r => r.Each * r.Times);
        var cpuMillisecondsPerSecond = 1000.0 * Environment.ProcessorCount;
        Console.WriteLine($"  {"floor of this design on this machine",-62} {"",8} {"",11} {floor,8:F1} ms CPU a licence");
        Console.WriteLine($"  = at most {cpuMillisecondsPerSecond / floor:F0} licences/s on {Environment.ProcessorCount} cores " +
            $"({cpuMillisecondsPerSecond:F0} ms CPU a second / floor); today {TodayMilliseconds:F0} ms a licence " +
            $"= {cpuMillisecondsPerSecond / TodayMilliseconds:F1} licences/s");
    }

    /// <summary>CPU ms per operation: the server's processes (PostgreSQL, RabbitMQ; 0 when in this process) and this process.</summary>
    private readonly record struct Cost(double ServerMs, double ClientMs)
    {
        public double Total => ServerMs + ClientMs;
    }

    // ---- PostgreSQL ----

    /// <summary>A serialized event of about 600 bytes, as the pipeline's outbox rows are.</summary>
    private static readonly string Body = "{\"messageId\":\"" + Guid.Empty + "\",\"message\":{\"applicationId\":\"" + Guid.Empty +
        "\",\"text\":\"" + new string('x', 600 - 120) + "\"}}";

    private static async Task<(Cost Consumer, Cost Bare)> DatabaseAsync(string work, int count)
    {
        Console.WriteLine($"PostgreSQL, crash-safe as the journey's (synchronous_commit=on: WAL written at each commit), " +
            $"the shared inbox and outbox tables; Npgsql with the services' connection defaults, {Concurrency} at once, " +
            "a pooled connection opened for each transaction:");
        await using var server = await PostgresServer.StartAsync(work, crashSafe: true);
        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE floor", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = ServiceDatabase<FloorModule>.PostgreSqlDefaults(server.ConnectionString("floor"));
        await CreateSharedTablesAsync(connectionString);

        var consumer = await MeasureAsync("consumer transaction (BEGIN; inbox INSERT; outbox INSERT; COMMIT)", "PostgreSQL",
            server.ProcessId, count, n => RepeatAsync(n, Concurrency, _ => ConsumeAsync(connectionString, inbox: true)));
        var bare = await MeasureAsync("bare transaction (BEGIN; outbox INSERT; COMMIT)", "PostgreSQL",
            server.ProcessId, count, n => RepeatAsync(n, Concurrency, _ => ConsumeAsync(connectionString, inbox: false)));
        // Not in the floor: the same with nothing overlapping (no commit shares a WAL write or a wake-up with another).
        await MeasureAsync("consumer transaction, one at a time", "PostgreSQL",
            server.ProcessId, count / 4, n => RepeatAsync(n, 1, _ => ConsumeAsync(connectionString, inbox: true)));
        // BEGIN goes with the first statement; COMMIT is a round trip of its own.
        Console.WriteLine($"  per statement (BEGIN and COMMIT counted, as pg_stat_statements counts them): consumer " +
            $"{consumer.ServerMs / 4:F3} + {consumer.ClientMs / 4:F3} ms (4 statements, 3 round trips), bare " +
            $"{bare.ServerMs / 3:F3} + {bare.ClientMs / 3:F3} ms (3 statements, 2 round trips)");
        return (consumer, bare);
    }

    /// <summary>The tables every service database has (Permits.Shared's scripts, as SchemaMigrator applies them first).</summary>
    private static async Task CreateSharedTablesAsync(string connectionString)
    {
        const string prefix = "sql/PostgreSql/";
        var assembly = typeof(ServiceDatabase<>).Assembly;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            await using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            await using var script = new NpgsqlCommand(await reader.ReadToEndAsync(), connection);
            await script.ExecuteNonQueryAsync();
        }
    }

    /// <summary>What a consumer's unit of work does to the database at the least: its inbox row (unless bare) and one outbox row.</summary>
    private static async Task ConsumeAsync(string connectionString, bool inbox)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        if (inbox)
        {
            await using var record = new NpgsqlCommand(InboxSql.RecordSql, connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<Guid>("MessageId", Guid.CreateVersion7()));
            record.Parameters.Add(new NpgsqlParameter<string>("MessageName", "urn:message:Permits.Contracts.Review:LicenceApproved"));
            record.Parameters.Add(new NpgsqlParameter<string>("Consumer", "LicenceApprovedConsumer"));
            record.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("ReceivedAt", now));
            if (await record.ExecuteNonQueryAsync() != 1)
            {
                throw new InvalidOperationException("The inbox row of a new message was not written.");
            }
        }

        await using var outbox = new NpgsqlCommand(OutboxSql.InsertSql, connection, transaction);
        outbox.Parameters.Add(new NpgsqlParameter<Guid>("MessageId", Guid.CreateVersion7()));
        outbox.Parameters.Add(new NpgsqlParameter<string>("MessageName", "urn:message:Permits.Contracts.Certificate:CertificateIssued"));
        outbox.Parameters.Add(new NpgsqlParameter<string>("MessageType", "Permits.Contracts.Certificate.CertificateIssued"));
        outbox.Parameters.Add(new NpgsqlParameter<string>("Body", Body));
        outbox.Parameters.Add(new NpgsqlParameter<string>("TraceParent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        outbox.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("CreatedAt", now) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await outbox.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Only its name: the services' connection-string defaults are a member of the generic database class.</summary>
    private sealed class FloorModule : IServiceModule
    {
        public static string Name => "Floor";
    }

    // ---- RabbitMQ ----

    private static async Task<(Cost OneQueue, Cost TwoQueues)> BrokerAsync(string work, int count)
    {
        Console.WriteLine("RabbitMQ, as the journey's (classic durable queues), RabbitMQ.Client: persistent 600-byte messages " +
            "to a fan-out exchange with publisher confirms (a window of 500), each queue drained by its own consumer " +
            "(prefetch 200, one ack a message); per message published:");
        await using var broker = await RabbitMqServer.StartAsync(work);
        var amqp = broker.AmqpUri();
        var one = await MeasureAsync("message to 1 queue (published, confirmed, consumed, acked)", "RabbitMQ", broker.ProcessId,
            count, n => BrokerCeiling.PublishAndConsumeAsync(amqp, n, queues: 1, throughExchange: true));
        var two = await MeasureAsync("message to 2 queues (published once, consumed twice)", "RabbitMQ", broker.ProcessId,
            count, n => BrokerCeiling.PublishAndConsumeAsync(amqp, n, queues: 2, throughExchange: true));
        // Not in the floor: the same message when nothing is batched, as at a pipeline's few hundred messages a second.
        await MeasureAsync("message to 1 queue, each confirm awaited before the next publish", "RabbitMQ", broker.ProcessId,
            count / 10, n => BrokerCeiling.PublishAndConsumeAsync(amqp, n, queues: 1, throughExchange: true, window: 1));
        return (one, two);
    }

    // ---- gRPC ----

    private static async Task<Cost> CallsAsync(int count)
    {
        Console.WriteLine($"gRPC unary calls on loopback (Kestrel, HTTP/2 cleartext, Grpc.AspNetCore without interceptors; " +
            $"Grpc.Net.Client, one channel, {Concurrency} at once), client and server both in this process, so their CPU together:");
        await CallAsync("call, anonymous", count, authenticated: false);
        return await CallAsync("call with an officer's RS256 access token", count, authenticated: true);
    }

    /// <summary>
    /// Review's GetCase answering at once. Authenticated as the services authenticate (AddPermitsAuthentication: the
    /// bearer token's signature, issuer, audience, lifetime and type checked, then remembered until it expires, as a
    /// caller sends the same token on each call; the officer policy), each caller with a token of its own.
    /// </summary>
    private static async Task<Cost> CallAsync(string what, int count, bool authenticated)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        if (authenticated)
        {
            builder.AddPermitsAuthentication(PermitsAudiences.Review);
        }

        await using var app = builder.Build();
        if (authenticated)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGrpcService<AnsweringCases>().RequireAuthorization(PermitsPolicies.Officer);
        }
        else
        {
            app.MapGrpcService<AnsweringCases>();
        }

        await app.StartAsync();
        try
        {
            using var channel = Channels.For($"http://127.0.0.1:{port}");
            var client = new Cases.CasesClient(channel);
            var callers = Enumerable.Range(0, Concurrency)
                .Select(i => authenticated
                    ? new Metadata { { "Authorization", "Bearer " + Tokens.Officer(i % 2 == 0 ? "330424" : "330421", "head") } }
                    : new Metadata())
                .ToArray();
            var request = new GetCaseRequest { ApplicationId = Guid.NewGuid().ToString() };
            return await MeasureAsync(what, "", null, count,
                n => RepeatAsync(n, Concurrency, caller => client.GetCaseAsync(request, callers[caller]).ResponseAsync));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private sealed class AnsweringCases : Cases.CasesBase
    {
        public override Task<Case> GetCase(GetCaseRequest request, ServerCallContext context) =>
            Task.FromResult(new Case { CaseId = request.ApplicationId, ApplicationId = request.ApplicationId, Stage = "UnderReview", CountyCode = "330424" });
    }

    // ---- RS256 ----

    /// <summary>An access token's signature and its check (RSA 2048, SHA-256, PKCS#1 v1.5), over a real token's header and payload.</summary>
    private static async Task<(Cost Signature, Cost Verification)> TokensAsync(int signatures, int verifications)
    {
        Console.WriteLine("RS256 in this process, one at a time (.NET's RSA, OpenSSL), over an access token's header and payload:");
        using var key = RSA.Create(2048);
        var token = Tokens.Officer("330424", "head");
        var input = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        var signature = key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var signing = await MeasureAsync("RS256 signature", "", null, signatures, n =>
        {
            for (var i = 0; i < n; i++)
            {
                key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            return Task.CompletedTask;
        });
        var checking = await MeasureAsync("RS256 verification", "", null, verifications, n =>
        {
            for (var i = 0; i < n; i++)
            {
                if (!key.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                {
                    throw new InvalidOperationException("A good signature did not verify.");
                }
            }

            return Task.CompletedTask;
        });
        return (signing, checking);
    }

    // ---- measuring ----

    /// <summary>
    /// Warms <paramref name="run"/> up (a quarter of the count at a time, for at least <see cref="WarmUp"/>), then runs
    /// it for <paramref name="count"/> operations measured: CPU of the tree under <paramref name="server"/> and of this
    /// process, per operation. Prints a line.
    /// </summary>
    private static async Task<Cost> MeasureAsync(string what, string serverName, int? server, int count, Func<int, Task> run)
    {
        var warm = Stopwatch.StartNew();
        do
        {
            await run(Math.Max(1, count / 4));
        }
        while (warm.Elapsed < WarmUp);

        GC.Collect();
        var serverBefore = ProcessMeter.CpuMilliseconds(server);
        var clientBefore = OwnCpuMilliseconds();
        var clock = Stopwatch.StartNew();
        await run(count);
        var elapsed = clock.Elapsed;
        var cost = new Cost((ProcessMeter.CpuMilliseconds(server) - serverBefore) / count, (OwnCpuMilliseconds() - clientBefore) / count);
        var split = server is null ? "" : $" = {cost.ServerMs:F3} {serverName} + {cost.ClientMs:F3} this process";
        Console.WriteLine($"  {what,-66} {count,6} in {elapsed.TotalSeconds,5:F1} s ({count / elapsed.TotalSeconds,6:F0}/s): " +
            $"{cost.Total,7:F3} ms CPU each{split}");
        return cost;
    }

    /// <summary>Runs <paramref name="count"/> operations, <paramref name="concurrency"/> at once; each gets its worker's index.</summary>
    private static async Task RepeatAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await Task.Yield();
            while (Interlocked.Increment(ref next) < count)
            {
                await operation(worker);
            }
        }));
    }

    private static double OwnCpuMilliseconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
