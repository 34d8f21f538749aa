using Permits.Delivery.Consumers;
using Permits.Delivery.Courier;
using Permits.Delivery.Features;
using Permits.Contracts.Intake.V1;
using Permits.Delivery.Grpc;
using Permits.Delivery.Security;
using Permits.Delivery.Workers;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;

namespace Permits.Delivery;

/// <summary>Shipments (送达): getting the paper licence to the shopkeeper by courier or for pickup at the service hall.</summary>
public sealed class DeliveryModule : IServiceModule
{
    public static string Name => "Delivery";
}

public static class DeliveryModuleExtensions
{
    public static WebApplicationBuilder AddDeliveryService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<DeliveryModule>();
        builder.AddConsumers<DeliveryModule>(consumers => consumers
            .Add<ApplicationSubmittedConsumer>()
            .Add<CertificateIssuedConsumer>()
            .Add<LicenceApprovedConsumer>()
            .Add<HolidayCalendarPublishedConsumer>());

        builder.AddPermitsAuthentication(PermitsAudiences.Delivery);
        // Intake owns applications and their owners: asked (with the applicant's own token) before a pickup code is shown.
        builder.Services.AddServiceReadClient<Applications.ApplicationsClient>(ApplicationOwners.ClientName, IntakeAddress);
        builder.Services.AddSingleton<ApplicationOwners>();
        builder.Services.AddSingleton(DeliverySettings.From(builder.Configuration));
        builder.Services.AddSingleton<CourierCircuit>();
        // Read the base address when a client is made, not now: a host that starts the courier itself knows it late.
        // The courier gets its own resilience pipeline instead of the shared standard one (see CourierResilience).
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001); it is the documented way to replace the
        // pipeline ConfigureHttpClientDefaults added. If it changes, configure "<client>-standard" options instead.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<ICourierClient, HttpCourierClient>((services, client) =>
            {
                client.BaseAddress = HttpCourierClient.BaseAddressFrom(services.GetRequiredService<IConfiguration>());
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler(CourierResilience.PipelineName, (pipeline, context) =>
                CourierResilience.From(context.ServiceProvider.GetRequiredService<IConfiguration>())
                    .Build(pipeline, context.ServiceProvider.GetRequiredService<CourierCircuit>()));
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton<CourierEventEffects>();
        builder.Services.AddSingleton<ApplyCourierEvents>();
        builder.Services.AddSingleton<FlagLateShipments>();
        builder.Services.AddSingleton<BookPendingShipments>();
        builder.Services.AddSingleton<TrackDispatchedShipments>();
        builder.Services.AddHostedService<CourierBookingWorker>();
        builder.Services.AddHostedService<CourierTrackingWorker>();
        builder.Services.AddScoped<GetShipment>();
        builder.Services.AddScoped<HallSettingsAdmin>();
        builder.Services.AddScoped<ListShipments>();
        builder.Services.AddScoped<ConfirmPickup>();
        builder.Services.AddScoped<ResolveFailedDelivery>();
        return builder;
    }

    public static WebApplication MapDeliveryService(this WebApplication app)
    {
        app.MapGrpcService<ShipmentsService>();
        app.MapPost(ReceiveCourierWebhook.Path, ReceiveCourierWebhook.HandleAsync);
        return app;
    }

    private static Uri IntakeAddress(IConfiguration configuration) =>
        Uri.TryCreate(configuration["Services:Intake:Url"], UriKind.Absolute, out var url)
            ? url
            : throw new InvalidOperationException(
                "Services:Intake:Url is not set: Delivery asks Intake who owns an application before it shows a pickup code.");
}
