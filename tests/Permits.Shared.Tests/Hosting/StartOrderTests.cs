using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Permits.Shared.Data;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests.Hosting;

/// <summary>
/// Review and Certificate register authentication (which brings the data-protection key-ring warm-up) before their
/// database: on a first start the warm-up read a table of a database the migrator had not made yet and logged an error.
/// </summary>
public sealed class When_a_module_registers_hosted_services_before_its_database
{
    [Fact]
    public async Task Should_start_the_schema_migrator_before_any_of_them()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = $"Data Source={Path.Combine(TestData.NewFolder("start-order"), "order.db")}",
        });
        builder.AddServiceDefaults();
        builder.Services.AddDataProtection();
        builder.AddServiceDatabase<GuardTestModule>();
        builder.AddPermitsBus();
        await using var provider = builder.Services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.True(hosted.Count > 1, "the key-ring warm-up and the service's workers are hosted services too");
        Assert.IsType<SchemaMigrator<GuardTestModule>>(hosted[0]);
    }
}
