namespace Permits.Shared.Messaging;

/// <summary>
/// Marks one service (Intake, Review …). Its name prefixes the service's queues and configuration section, and the
/// type itself keys the service's database, outbox and relay, so several services can share one container.
/// </summary>
public interface IServiceModule
{
    static abstract string Name { get; }
}
