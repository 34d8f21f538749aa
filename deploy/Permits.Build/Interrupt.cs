using System.Runtime.InteropServices;

namespace Permits.Build;

/// <summary>
/// Turns the first Ctrl+C or SIGTERM into a cancellation, so targets can stop the servers and processes they
/// started; a second Ctrl+C ends the program at once.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration terminate;

    public Interrupt()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Request("terminate signal");
        });
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        terminate.Dispose();
        source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        e.Cancel = true;
        Request("Ctrl+C");
    }

    private void Request(string what)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        Console.Error.WriteLine($"{what}: stopping (press Ctrl+C again to abort at once)...");
        source.Cancel();
    }
}
