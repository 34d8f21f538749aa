using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>One PostgreSQL and one RabbitMQ, started side by side (RabbitMQ's ~15 s dominates).</summary>
internal sealed class TestServers(PostgresServer postgres, RabbitMqServer rabbitMq) : IAsyncDisposable
{
    public PostgresServer Postgres { get; } = postgres;

    public RabbitMqServer RabbitMq { get; } = rabbitMq;

    public static async Task<TestServers> StartAsync(string workDirectory, CancellationToken ct)
    {
        var postgres = PostgresServer.StartAsync(workDirectory, ct);
        var rabbitMq = RabbitMqServer.StartAsync(workDirectory, ct);
        try
        {
            await Task.WhenAll(postgres, rabbitMq);
        }
        catch
        {
            // Stop whichever did start before reporting the other's failure.
            await Task.WhenAll(StopIfStarted(postgres), StopIfStarted(rabbitMq));
            throw;
        }

        Console.WriteLine($"PostgreSQL on 127.0.0.1:{postgres.Result.Port}, RabbitMQ node {rabbitMq.Result.NodeName} on 127.0.0.1:{rabbitMq.Result.Port}");
        return new TestServers(postgres.Result, rabbitMq.Result);
    }

    public async ValueTask DisposeAsync()
    {
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    private static async Task StopIfStarted<T>(Task<T> start)
        where T : IAsyncDisposable
    {
        try
        {
            await (await start).DisposeAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException)
        {
            // This one failed to start; its own error is reported by the caller.
        }
    }
}
