using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Shared.Steps;

namespace Permits.Shared.Hosting;

public static class ServiceModuleExtensions
{
    /// <summary>
    /// Registers a service's database, schema migration, outbox relay and officer steps (audit and runner), keyed by its module type. Configuration:
    /// <c>Services:{Name}:Database:Provider|ConnectionString</c> when several services share a host, otherwise
    /// <c>Database:Provider</c> and <c>ConnectionStrings:Database</c>; with neither, a SQLite file under <c>DataDirectory</c>.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TService>(this WebApplicationBuilder builder)
        where TService : IServiceModule
    {
        var options = ReadDatabaseOptions(builder.Configuration, TService.Name);
        var services = builder.Services;
        services.AddSingleton<OutboxSignal<TService>>();
        services.AddSingleton(sp => new ServiceDatabase<TService>(options, sp.GetRequiredService<OutboxSignal<TService>>()));
        services.AddSingleton<OfficerAudit<TService>>();
        services.AddSingleton<StepRunner<TService>>();
        services.AddSingleton<CountySettings<TService>>();
        services.AddSingleton<SchemaMigrator<TService>>();
        StartFirst(services, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<SchemaMigrator<TService>>()));
        services.AddSingleton<PublishedCalendarLoader<TService>>();
        services.AddHostedService(sp => sp.GetRequiredService<PublishedCalendarLoader<TService>>());
        AddDatabaseKeyRing<TService>(services);
        services.AddOperationsProbe<TService>();
        services.TryAddSingleton(_ => ReadRelaySettings(builder.Configuration));
        services.AddSingleton<OutboxRelay<TService>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TService>>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{TService.Name}-database",
            sp => new DatabaseHealthCheck<TService>(sp.GetRequiredService<ServiceDatabase<TService>>()),
            HealthStatus.Unhealthy,
            ["ready"]));
        return builder;
    }

    /// <summary>
    /// Puts a hosted service before those already registered: the schema must exist before anything of the service
    /// starts, whatever its module registered first (authentication, registered before the database, brings the
    /// framework's key-ring warm-up, which read a table of a database not yet made and logged an error at each first
    /// start).
    /// </summary>
    private static void StartFirst(IServiceCollection services, ServiceDescriptor hosted)
    {
        var first = services.Select((descriptor, index) => (descriptor, index)).FirstOrDefault(d => d.descriptor.ServiceType == typeof(IHostedService));
        if (first.descriptor is null)
        {
            services.Add(hosted);
        }
        else
        {
            services.Insert(first.index, hosted);
        }
    }

    /// <summary>
    /// The data-protection keys live in the service's database (<see cref="DatabaseKeyRing{TService}"/>), so replicas
    /// share them. The migrator starts before every hosted service (<see cref="StartFirst"/>), so the framework's
    /// key-ring warm-up finds the table; in a host of several modules the first one's database keeps the ring, and a store configured explicitly (the Portal's
    /// <c>Portal:DataProtection:KeysDirectory</c>) wins.
    /// </summary>
    private static void AddDatabaseKeyRing<TService>(IServiceCollection services)
        where TService : IServiceModule
    {
        services.AddDataProtection();
        services.AddOptions<DataProtectionOptions>().Configure(options => options.ApplicationDiscriminator ??= "Permits." + TService.Name);
        services.AddOptions<KeyManagementOptions>().Configure<ServiceDatabase<TService>>((options, database) =>
            options.XmlRepository ??= new DatabaseKeyRing<TService>(database));
    }

    public static DatabaseOptions ReadDatabaseOptions(IConfiguration configuration, string service)
    {
        var section = configuration.GetSection($"Services:{service}:Database");
        var provider = section["Provider"] ?? configuration["Database:Provider"] ?? nameof(SqlDialect.Sqlite);
        if (!Enum.TryParse<SqlDialect>(provider, ignoreCase: true, out var dialect))
        {
            throw new InvalidOperationException(
                $"Database:Provider '{provider}' is not one of {string.Join(", ", Enum.GetNames<SqlDialect>())}.");
        }

        var connectionString = section["ConnectionString"] ?? configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (dialect != SqlDialect.Sqlite)
            {
                throw new InvalidOperationException(
                    $"{service} needs ConnectionStrings:Database (or Services:{service}:Database:ConnectionString) for {dialect}.");
            }

            var folder = configuration["DataDirectory"] ?? Path.Combine(AppContext.BaseDirectory, "data");
            connectionString = $"Data Source={Path.Combine(folder, service.ToLowerInvariant() + ".db")}";
        }

        var createIfMissing = section.GetValue<bool?>("CreateIfMissing")
            ?? configuration.GetValue<bool?>("Database:CreateIfMissing")
            ?? dialect == SqlDialect.Sqlite;
        return new DatabaseOptions(dialect, connectionString, createIfMissing);
    }

    private static RelaySettings ReadRelaySettings(IConfiguration configuration) => new(
        configuration.GetValue("Outbox:RelayEnabled", true),
        TimeSpan.FromMilliseconds(configuration.GetValue("Outbox:PollIntervalMs", 1000)));

    private sealed class DatabaseHealthCheck<TService>(ServiceDatabase<TService> database) : IHealthCheck
        where TService : IServiceModule
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations");
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy($"{TService.Name} database is not reachable or not migrated.", ex);
            }
        }
    }
}
