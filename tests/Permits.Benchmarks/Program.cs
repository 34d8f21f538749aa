using Permits.Benchmarks;

// Usage: ./build.sh bench [records]   (default 20000 disclosure records)
// First the append one record a transaction (as before batching) on a quarter of the records, then everything batched.
var records = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 20_000;
await DisclosureBenchmark.RunAsync(Math.Max(1000, records / 4), appendBatchSize: 1, appendOnly: true);
await DisclosureBenchmark.RunAsync(records, appendBatchSize: Permits.Disclosure.Workers.AppendQueue.BatchSize, appendOnly: false);
