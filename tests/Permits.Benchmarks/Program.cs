using Permits.Benchmarks;

// Usage: ./build.sh bench [records]   (default 20000 disclosure records)
var records = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 20_000;
await DisclosureBenchmark.RunAsync(records);
