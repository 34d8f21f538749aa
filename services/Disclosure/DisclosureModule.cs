using MassTransit;
using Permits.Disclosure.Consumers;
using Permits.Disclosure.Features;
using Permits.Disclosure.Grpc;
using Permits.Disclosure.Platforms;
using Permits.Disclosure.Web;
using Permits.Disclosure.Workers;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

namespace Permits.Disclosure;

/// <summary>The public disclosure log (政务公开) that platforms read.</summary>
public sealed class DisclosureModule : IServiceModule
{
    public static string Name => "Disclosure";
}

public static class DisclosureModuleExtensions
{
    public static WebApplicationBuilder AddDisclosureService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<DisclosureModule>();
        // Appended in batches, in delivery order (AppendQueue): the log's positions follow the order records arrive in.
        // Concurrency and prefetch come from the definition, which MassTransit finds in the container.
        // One Disclosure instance appends at a time (the others stand by), so replicas never interleave the log.
        builder.AddConsumers<DisclosureModule>(consumers => consumers
            .Add<DisclosureRecordedConsumer>(singleActiveConsumer: true)
            .Add<HolidayCalendarPublishedConsumer>()
            .Add<ServiceRatedConsumer>()
            .Add<RatingFollowUpOpenedConsumer>()
            .Add<RatingFollowedUpConsumer>());
        builder.Services.AddSingleton<IConsumerDefinition<DisclosureRecordedConsumer>, DisclosureRecordedConsumerDefinition>();
        builder.Services.AddSingleton<AppendRecords>();
        builder.Services.AddSingleton<AppendQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AppendQueue>());
        builder.Services.Configure<DisclosureOptions>(builder.Configuration.GetSection("Disclosure"));
        builder.Services.AddScoped<ListRecords>();
        builder.Services.AddScoped<VerifyChain>();
        builder.Services.AddScoped<Register>();
        builder.Services.AddScoped<ApplicationProgressQuery>();
        builder.Services.AddScoped<ExportRecords>();
        builder.AddPlatformAccess();
        builder.AddDisclosureRequests();
        builder.AddAnnualReports();
        return builder;
    }

    public static WebApplication MapDisclosureService(this WebApplication app)
    {
        app.MapGrpcService<DisclosureLogService>();
        app.MapGrpcService<OpenDataService>();
        app.MapOpenDataEndpoints();
        app.MapDisclosureRequests();
        app.MapAnnualReports();
        return app;
    }

    /// <summary>
    /// Who may call the open-data API (OAuth2 client-credentials tokens from Identity, see <see cref="TokenCallerResolver"/>)
    /// and how much (<c>Disclosure:Platforms</c>). The public register and log stay anonymous.
    /// </summary>
    private static void AddPlatformAccess(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PlatformOptions>(builder.Configuration.GetSection(PlatformOptions.Section));
        builder.Services.AddSingleton<PlatformLimiter>();
        builder.AddPlatformTokens();
        builder.Services.AddScoped<PlatformAccess>();
    }
}
