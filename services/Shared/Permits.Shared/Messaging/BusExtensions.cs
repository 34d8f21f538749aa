using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Permits.Shared.Data;

namespace Permits.Shared.Messaging;

/// <summary>
/// One bus per process, whatever services it hosts. Each service module contributes its consumers with
/// <see cref="AddConsumers{TService}"/>; <see cref="AddPermitsBus"/>, called once after all modules, builds the bus.
/// This is what lets the embedded host run every service on MassTransit's in-memory transport, which does not cross
/// bus instances.
/// </summary>
public static partial class BusExtensions
{
    public static WebApplicationBuilder AddConsumers<TService>(
        this WebApplicationBuilder builder, Action<ServiceConsumers<TService>> register)
        where TService : IServiceModule
    {
        var contributions = Contributions(builder.Services);
        contributions.Items.Add(bus => register(
            new ServiceConsumers<TService>(bus, contributions.SingleActiveQueues, contributions.InboxKeys)));
        return builder;
    }

    /// <summary>
    /// <c>Bus:Transport</c> = <c>InMemory</c> (default) or <c>RabbitMq</c> with <c>ConnectionStrings:RabbitMq</c>
    /// (amqp://user:password@host:port/vhost). <c>Bus:QuorumQueues</c> = <c>true</c> declares every consumer queue as a
    /// RabbitMQ quorum queue (replicated across the cluster's nodes; the cluster mode sets it). A queue keeps the type it
    /// was first declared with, so switch on a fresh virtual host.
    /// </summary>
    public static WebApplicationBuilder AddPermitsBus(this WebApplicationBuilder builder)
    {
        var contributions = Contributions(builder.Services);
        var transport = builder.Configuration["Bus:Transport"] ?? "InMemory";
        AddOutboxUpkeep(builder);
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 otherwise reports usage to usage-tracking.masstransit.io from every host: a government
            // system calls no vendor, and our own telemetry goes only where OTEL_EXPORTER_OTLP_ENDPOINT says.
            bus.DisableUsageTelemetry();

            foreach (var contribute in contributions.Items)
            {
                contribute(bus);
            }

            if (string.Equals(transport, "RabbitMq", StringComparison.OrdinalIgnoreCase))
            {
                var quorum = builder.Configuration.GetValue<bool>("Bus:QuorumQueues");
                bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
                {
                    if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        return;
                    }

                    if (quorum)
                    {
                        rabbit.SetQuorumQueue();
                    }

                    // Such a queue is consumed by one instance at a time, whatever the replicas: the broker hands
                    // it to the next one only when the active consumer goes away.
                    if (contributions.SingleActiveQueues.Contains(name))
                    {
                        rabbit.SingleActiveConsumer = true;
                    }
                });

                var uri = builder.Configuration.GetConnectionString("RabbitMq")
                    ?? throw new InvalidOperationException("Bus:Transport is RabbitMq but ConnectionStrings:RabbitMq is not set.");
                builder.Services.TryAddSingleton<IOutboxPublisher>(sp => new RabbitMqOutboxPublisher(
                    new Uri(uri), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RabbitMqOutboxPublisher>>()));
                bus.UsingRabbitMq((context, cfg) =>
                {
                    ConfigureHost(cfg, new Uri(uri));
                    ConfigureCommon(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else if (string.Equals(transport, "InMemory", StringComparison.OrdinalIgnoreCase))
            {
                builder.Services.TryAddSingleton<IOutboxPublisher>(sp => new BusOutboxPublisher(sp.GetRequiredService<IBus>()));
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureCommon(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                throw new InvalidOperationException($"Bus:Transport '{transport}' is not InMemory or RabbitMq.");
            }
        });
        return builder;
    }

    /// <summary>
    /// The messaging settings, and a pruner for the outbox and inbox of every service database registered before this
    /// call (modules register their databases first, the bus last), so each service's tables are kept small wherever
    /// it is hosted.
    /// </summary>
    private static void AddOutboxUpkeep(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(_ => MessagingSettings.Read(builder.Configuration));
        var modules = services
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ServiceDatabase<>))
            .Select(t => t.GetGenericArguments()[0])
            .Distinct()
            .ToList();
        foreach (var module in modules)
        {
            var pruner = typeof(OutboxPruner<>).MakeGenericType(module);
            if (services.Any(d => d.ServiceType == pruner))
            {
                continue;
            }

            services.AddSingleton(pruner);
            services.AddSingleton<IHostedService>(sp => (IHostedService)sp.GetRequiredService(pruner));
        }
    }

    private static void ConfigureCommon(IBusFactoryConfigurator cfg)
    {
        // A database that is restarting or failing over (its connections refused or dropped for longer than the quick
        // tries below last) is waited for, about five minutes, rather than setting a licence's message aside: an
        // outage of the database must not leave a case stuck in an _error queue.
        cfg.UseMessageRetry(retry =>
        {
            retry.Handle<System.Data.Common.DbException>();
            retry.Handle<TimeoutException>();
            retry.Handle<System.Net.Sockets.SocketException>();
            retry.Intervals(1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 30_000, 30_000, 60_000, 60_000);
        });
        // Transient faults (a row not yet there, a lock timeout) get a few quick tries; what still fails lands in
        // the endpoint's _error queue, never silently dropped.
        cfg.UseMessageRetry(retry => retry.Intervals(100, 250, 500, 1000, 2000, 4000, 8000));
    }

    /// <summary>The broker from an AMQP URI, publisher confirms on: every bus of a service, the outbox relays' too.</summary>
    internal static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        cfg.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost.Length == 0 ? "/" : virtualHost, host =>
        {
            host.Username(userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest");
            host.Password(userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest");
            host.PublisherConfirmation = true;
        });
    }

    private static BusContributions Contributions(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(BusContributions))?.ImplementationInstance;
        if (existing is BusContributions found)
        {
            return found;
        }

        var created = new BusContributions();
        services.AddSingleton(created);
        return created;
    }

    internal static string Kebab(string name) => KebabBoundary().Replace(name, "$1-$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();

    /// <summary>What the service modules contributed: their consumers, and the queues that keep one active consumer.</summary>
    private sealed class BusContributions
    {
        public List<Action<IBusRegistrationConfigurator>> Items { get; } = [];

        public HashSet<string> SingleActiveQueues { get; } = new(StringComparer.Ordinal);

        /// <summary>Service and message of every inbox consumer: the key its inbox rows are recorded under.</summary>
        public HashSet<string> InboxKeys { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>Registers one service's consumers on queues named after the service, so two services never share a queue.</summary>
public sealed class ServiceConsumers<TService>(
    IBusRegistrationConfigurator bus, ISet<string> singleActiveQueues, ISet<string> inboxKeys) where TService : IServiceModule
{
    /// <param name="ordered">One message at a time, in queue order; implies <paramref name="singleActiveConsumer"/>.</param>
    /// <param name="singleActiveConsumer">
    /// On RabbitMQ, one instance consumes the queue at a time and the others stand by, so replicas never interleave
    /// a log whose order is part of its meaning (the consumer may still batch what it takes).
    /// </param>
    public ServiceConsumers<TService> Add<TConsumer>(bool ordered = false, bool singleActiveConsumer = false) where TConsumer : class, IConsumer
    {
        var queue = $"{TService.Name.ToLowerInvariant()}-{BusExtensions.Kebab(typeof(TConsumer).Name.Replace("Consumer", ""))}";
        if (InboxConsumers.MessageOf(typeof(TConsumer)) is { } message && !inboxKeys.Add($"{TService.Name}|{MessageNames.Of(message)}"))
        {
            // Both would record the message under the same inbox key, and the second would skip every message.
            throw new InvalidOperationException(
                $"{TService.Name} already has an inbox consumer of {message.Name}; {typeof(TConsumer).Name} would never run.");
        }

        bus.AddConsumer<TConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = queue;
            if (ordered)
            {
                endpoint.ConcurrentMessageLimit = 1;
            }

            if (ordered || singleActiveConsumer)
            {
                singleActiveQueues.Add(queue);
            }
        });
        return this;
    }
}
