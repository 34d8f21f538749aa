using Permits.Testing;
using Xunit.Abstractions;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The short form of the fault run (<c>./build.sh bench faults</c> is the long one): journeys while every process is
/// killed with SIGKILL and restarted, RabbitMQ restarted and PostgreSQL restarted; afterwards every licence is
/// delivered, numbers are unique and gap-free, each disclosure record exists exactly once and the chain verifies.
/// It brings a whole system of its own (PostgreSQL, RabbitMQ, every service), so it runs alone.
/// </summary>
[Collection(nameof(FaultRunAlone))]
public sealed class When_every_process_and_both_servers_fail_during_journeys(ITestOutputHelper output)
{
    [Fact]
    public Task Should_deliver_every_licence_exactly_once_with_the_chain_intact() =>
        FaultRun.RunAsync("e2e-faults", DistributedSystemFixture.Configuration(), journeys: 20, output.WriteLine);
}

[CollectionDefinition(nameof(FaultRunAlone), DisableParallelization = true)]
public sealed class FaultRunAlone;
