using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Permits.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Benchmarks;

/// <summary>
/// Importing a county's licence register (issue 17: 100,000 rows in under a minute): a generated register with valid
/// checksums, as CSV, through the ImportLicences call of one Certificate instance — on PostgreSQL (binary COPY) and on
/// SQLite (multi-row INSERTs, the portable path) — then the same file again (nothing changes) and the export.
/// </summary>
public static class ImportBenchmark
{
    public static async Task RunAsync(int rows)
    {
        var csv = SampleRegisters.Csv(SampleRegisters.Rows("330424", rows, ChinaTime.DateOf(DateTimeOffset.UtcNow)));
        Console.WriteLine($"Import benchmark: {rows} licences, CSV of {csv.Length / 1024.0 / 1024:0.0} MB, " +
            $"{Environment.ProcessorCount} CPUs (load average {LoadAverage()})");
        foreach (var provider in new[] { "PostgreSql", "Sqlite" })
        {
            await using var host = await ImportHost.StartAsync(provider);
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.GrpcUrl, new Grpc.Net.Client.GrpcChannelOptions
            {
                MaxReceiveMessageSize = Permits.Certificate.Features.Register.RegisterFiles.MaxFileBytes,
            });
            var client = new Certificates.CertificatesClient(channel);
            var admin = ServiceHost.Bearer(Tokens.OfficerFor("permits-certificate", "330424", "system-admin"));
            var request = new ImportLicencesRequest { FileName = "登记簿.csv", Content = ByteString.CopyFrom(csv) };
            var clock = Stopwatch.StartNew();
            var first = await client.ImportLicencesAsync(request, admin);
            Print($"{provider}: import", first.Imported, clock.Elapsed, first.Accepted ? "" : first.Message);
            clock.Restart();
            var again = await client.ImportLicencesAsync(request, admin);
            Print($"{provider}: the same file again (unchanged)", again.Unchanged, clock.Elapsed, again.Message);
            clock.Restart();
            var export = await client.ExportLicencesAsync(new ExportLicencesRequest { Format = "csv" }, new CallOptions(admin));
            Print($"{provider}: export (CSV)", export.Licences, clock.Elapsed, "");
        }
    }

    private static void Print(string what, long count, TimeSpan elapsed, string note) =>
        Console.WriteLine($"  {what,-45} {count,8} rows in {elapsed.TotalSeconds,6:0.00} s = {count / elapsed.TotalSeconds,9:0} rows/s {note}");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class ImportHost : ServiceHost
    {
        private ImportHost(string provider)
            : base("certificate_bench", provider)
        {
        }

        public static async Task<ImportHost> StartAsync(string provider)
        {
            var host = new ImportHost(provider);
            await host.StartAsync(new ServiceSetup
            {
                Add = builder => builder.AddCertificateService(),
                Map = app => app.MapCertificateService(),
            });
            return host;
        }
    }
}
