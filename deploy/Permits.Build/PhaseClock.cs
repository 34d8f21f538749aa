using System.Diagnostics;

namespace Permits.Build;

/// <summary>Times the phases of a target and prints them at the end.</summary>
internal sealed class PhaseClock
{
    private readonly Stopwatch total = Stopwatch.StartNew();
    private readonly List<(string Name, TimeSpan Elapsed)> phases = [];

    public async Task<T> TimeAsync<T>(string name, Func<Task<T>> phase)
    {
        Console.WriteLine($"==> {name}");
        var clock = Stopwatch.StartNew();
        try
        {
            return await phase();
        }
        finally
        {
            phases.Add((name, clock.Elapsed));
            Console.WriteLine($"<== {name}: {Format(clock.Elapsed)}");
        }
    }

    public Task TimeAsync(string name, Func<Task> phase) =>
        TimeAsync(name, async () =>
        {
            await phase();
            return true;
        });

    public void Print()
    {
        Console.WriteLine("Time per phase:");
        foreach (var (name, elapsed) in phases)
        {
            Console.WriteLine($"  {name,-16} {Format(elapsed),9}");
        }

        Console.WriteLine($"  {"total",-16} {Format(total.Elapsed),9}");
    }

    private static string Format(TimeSpan elapsed) => $"{elapsed.TotalSeconds:0.0} s";
}
