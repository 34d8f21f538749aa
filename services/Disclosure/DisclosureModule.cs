using Permits.Disclosure.Consumers;
using Permits.Disclosure.Features;
using Permits.Disclosure.Grpc;
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
        // One at a time, in queue order: the log's positions follow the order records arrive in.
        builder.AddConsumers<DisclosureModule>(consumers => consumers.Add<DisclosureRecordedConsumer>(ordered: true));
        builder.Services.AddScoped<ListRecords>();
        return builder;
    }

    public static WebApplication MapDisclosureService(this WebApplication app)
    {
        app.MapGrpcService<DisclosureLogService>();
        return app;
    }
}
