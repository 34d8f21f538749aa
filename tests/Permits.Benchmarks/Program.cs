using Permits.Benchmarks;

// Usage: ./build.sh bench [records]   (default 20000 disclosure records)
// First the append one record a transaction (as before batching) on a quarter of the records, then everything batched.
// ./build.sh bench relay [messages]   (default 5000): the outbox relay, before and after batching.
// ./build.sh bench import [rows]      (default 100000): importing a county's licence register, then again, then export.
// ./build.sh bench journey [N] [C] [R] (default 300 at 32): new licences end to end through the distributed system;
//                                       with R, journeys start at R a second (at most C at once) instead of as fast as C allow.
// ./build.sh bench faults [N]         (default 200): journeys while every process, RabbitMQ and PostgreSQL are restarted.
// ./build.sh bench documents [N]      (default 200): formal documents and licence faces rendered in this process.
// ./build.sh bench floor [scale]      (default 1): CPU of each guarantee's unit (transaction, message, call, document) and the floor they put under a licence.
int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;
if (args is ["journey", ..])
{
    await JourneyBenchmark.RunAsync(Arg(1, 300), Arg(2, 32),
        args.Length > 3 && double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate > 0 ? rate : null);
    return;
}

if (args is ["faults", ..])
{
    await Permits.Testing.FaultRun.RunAsync("bench-faults", "Release", Arg(1, 200), Console.WriteLine);
    return;
}

if (args is ["documents", ..])
{
    DocumentBenchmark.Run(Arg(1, 200));
    return;
}

if (args is ["floor", ..])
{
    await FloorBenchmark.RunAsync(
        args.Length > 1 && double.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1);
    return;
}

if (args is ["relay", ..])
{
    await RelayBenchmark.RunAsync(args.Length > 1 && int.TryParse(args[1], out var messages) ? messages : 5000);
    return;
}

if (args is ["import", ..])
{
    await ImportBenchmark.RunAsync(args.Length > 1 && int.TryParse(args[1], out var rows) ? rows : 100_000);
    return;
}

var records = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 20_000;
await DisclosureBenchmark.RunAsync(Math.Max(1000, records / 4), appendBatchSize: 1, appendOnly: true);
await DisclosureBenchmark.RunAsync(records, appendBatchSize: Permits.Disclosure.Workers.AppendQueue.BatchSize, appendOnly: false);
