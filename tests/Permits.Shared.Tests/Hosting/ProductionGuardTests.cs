using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests.Hosting;

public sealed class GuardTestModule : IServiceModule
{
    public static string Name => "Guard";
}

public sealed class When_a_service_starts_in_production_on_development_defaults
{
    private static WebApplication Build(string? environment, Dictionary<string, string?> settings, Action<WebApplicationBuilder> add)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["DataDirectory"] = TestData.NewFolder("guard-tests"),
        });
        builder.AddServiceDefaults();
        add(builder);
        return builder.Build();
    }

    private static WebApplication ServiceWithBus(string? environment, Dictionary<string, string?> settings) =>
        Build(environment, settings, builder =>
        {
            builder.AddServiceDatabase<GuardTestModule>();
            builder.AddPermitsBus();
        });

    [Fact]
    public async Task Should_refuse_the_in_memory_bus_and_sqlite_naming_each_setting()
    {
        await using var app = ServiceWithBus("Production", []);

        var refused = Assert.Throws<InvalidOperationException>(() => app.MapServiceDefaults());

        Assert.Contains("Bus:Transport is not set", refused.Message);
        Assert.Contains("Bus__Transport=RabbitMq", refused.Message);
        Assert.Contains("Database:Provider of Guard is Sqlite", refused.Message);
        // The service's database keeps its data-protection keys: that default is not one of them.
        Assert.DoesNotContain("Data protection", refused.Message);
    }

    [Fact]
    public async Task Should_refuse_a_bus_named_in_memory_explicitly()
    {
        await using var app = ServiceWithBus("Production", new() { ["Bus:Transport"] = "InMemory" });

        var refused = Assert.Throws<InvalidOperationException>(() => app.MapServiceDefaults());

        Assert.Contains("Bus:Transport is InMemory", refused.Message);
    }

    [Fact]
    public async Task Should_refuse_keys_only_this_process_knows()
    {
        await using var app = Build("Production", [], builder => builder.Services.AddDataProtection());

        var refused = Assert.Throws<InvalidOperationException>(() => app.MapServiceDefaults());

        Assert.Contains("Data protection has no key store", refused.Message);
        Assert.Contains("Portal__DataProtection__KeysDirectory", refused.Message);
    }

    [Fact]
    public async Task Should_start_on_a_broker_and_a_server_database()
    {
        await using var app = ServiceWithBus("Production", new()
        {
            ["Bus:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/",
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Database"] = $"Host=127.0.0.1;Port={FreePort.Next()};Database=guard;Username=permits",
        });

        app.MapServiceDefaults();

        Assert.Empty(ProductionGuard.Refusals(app.Services, app.Configuration));
    }

    [Fact]
    public async Task Should_keep_the_defaults_where_no_environment_was_named()
    {
        // The embedded host and the test hosts name no environment: ASP.NET Core calls that Production too.
        await using var app = ServiceWithBus(null, []);

        app.MapServiceDefaults();

        Assert.NotEmpty(ProductionGuard.Refusals(app.Services, app.Configuration));
    }
}
