using System.Diagnostics;
using Permits.Testing;
using Xunit.Abstractions;
using ShipmentDelivered = Permits.Contracts.Delivery.ShipmentDelivered;

namespace Permits.Intake.Tests;

/// <summary>The test host itself: a consumer that fails shows as its own exception, not as a timeout.</summary>
public sealed class When_a_consumer_of_the_host_fails(ITestOutputHelper output) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync("Sqlite");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_fail_the_waiting_test_with_the_consumers_exception()
    {
        var unknown = Guid.NewGuid();
        var clock = Stopwatch.StartNew();

        var fault = await Assert.ThrowsAsync<ConsumerFaultException>(() =>
            _host.PublishAndWaitAsync(new ShipmentDelivered(Guid.NewGuid(), unknown, "SF100", "张三", DateTimeOffset.UtcNow), Guid.NewGuid()));

        output.WriteLine($"fault surfaced after {clock.Elapsed.TotalSeconds:0.0} s (the bus retries first)");
        Assert.IsType<InvalidOperationException>(fault.InnerException);
        Assert.Contains($"Application {unknown} is not known to Intake yet", fault.InnerException.Message);
        // Every later wait of the host ends with it too, instead of running out its time.
        await Assert.ThrowsAsync<ConsumerFaultException>(() => _host.WaitUntilAsync(() => Task.FromResult(false), "nothing"));
    }
}
