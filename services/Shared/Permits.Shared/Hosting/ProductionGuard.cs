using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Permits.Shared.Data;

namespace Permits.Shared.Hosting;

/// <summary>
/// The development defaults that make the embedded host start with nothing configured are wrong in a deployment:
/// the in-memory bus reports healthy while no message leaves the process, SQLite lives in one pod, keys made by each
/// replica differ. In Production a host refuses to start on any of them, naming the setting that is missing.
/// Production is the environment as the deployment names it (<c>ASPNETCORE_ENVIRONMENT</c> or
/// <c>DOTNET_ENVIRONMENT</c> = Production, as the manifests set it); a host given no environment at all (the embedded
/// host, the test hosts) keeps its defaults.
/// </summary>
public static class ProductionGuard
{
    public static bool Applies(WebApplicationBuilder builder) => Applies(builder.Environment, builder.Configuration);

    public static bool Applies(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsProduction() && !string.IsNullOrWhiteSpace(configuration[HostDefaults.EnvironmentKey]);

    /// <summary>Throws, naming every development default still in force, when <see cref="Applies(IHostEnvironment, IConfiguration)"/>.</summary>
    public static void Enforce(WebApplication app)
    {
        if (!Applies(app.Environment, app.Configuration))
        {
            return;
        }

        var refusals = Refusals(app.Services, app.Configuration);
        if (refusals.Count > 0)
        {
            throw new InvalidOperationException(
                "In Production this service does not start on development defaults:" + Environment.NewLine
                + string.Join(Environment.NewLine, refusals.Select(r => "- " + r)));
        }
    }

    /// <summary>Each development default the host would run on, as a sentence naming its setting.</summary>
    public static IReadOnlyList<string> Refusals(IServiceProvider services, IConfiguration configuration)
    {
        var refusals = new List<string>();
        var registered = services.GetRequiredService<IServiceProviderIsService>();
        var transport = configuration["Bus:Transport"];
        if (registered.IsService(typeof(IBus)) && (string.IsNullOrWhiteSpace(transport)
                                                   || string.Equals(transport, "InMemory", StringComparison.OrdinalIgnoreCase)))
        {
            refusals.Add(
                $"Bus:Transport is {(string.IsNullOrWhiteSpace(transport) ? "not set (the in-memory bus)" : transport)}: messages would never " +
                "leave this process. Set Bus__Transport=RabbitMq and ConnectionStrings__RabbitMq.");
        }

        foreach (var service in services.GetServices<OperationsProbe>().Select(p => p.Service).Distinct())
        {
            var options = ServiceModuleExtensions.ReadDatabaseOptions(configuration, service);
            if (options.Dialect == SqlDialect.Sqlite)
            {
                refusals.Add(
                    $"Database:Provider of {service} is Sqlite: a file in one pod. Set Database__Provider (or " +
                    $"Services__{service}__Database__Provider) to PostgreSql or SqlServer, with ConnectionStrings__Database.");
            }
        }

        if (registered.IsService(typeof(IDataProtectionProvider))
            && services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository is null)
        {
            refusals.Add(
                "Data protection has no key store: each replica would make its own keys and refuse the others' cookies " +
                "and forms. A service keeps them in its database (ConnectionStrings__Database); the Portal needs " +
                "Portal__DataProtection__KeysDirectory on a volume every replica mounts.");
        }

        return refusals;
    }
}
