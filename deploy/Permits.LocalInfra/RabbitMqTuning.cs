namespace Permits.LocalInfra;

/// <summary>How the project runs RabbitMQ wherever it starts one (tests, benchmarks, the embedded and distributed modes).</summary>
public static class RabbitMqTuning
{
    /// <summary>
    /// Erlang's schedulers, by default, spin for a while before they sleep when they run out of work (busy waiting).
    /// That buys a little latency on a machine of many idle cores; on a small machine shared with the services it burns
    /// the CPU they need. RabbitMQ's own guidance for such hosts is to turn it off, as here, for the normal, dirty CPU
    /// and dirty I/O schedulers. The cluster's broker gets the same arguments (k8s/overlays/local/rabbitmq.yaml).
    /// </summary>
    public const string SchedulerArguments = "+sbwt none +sbwtdcpu none +sbwtdio none";
}
