using Permits.Delivery.Consumers;
using Permits.Delivery.Courier;
using Permits.Delivery.Features;
using Permits.Delivery.Grpc;
using Permits.Delivery.Workers;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

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
            .Add<CertificateIssuedConsumer>());

        builder.Services.AddSingleton(DeliverySettings.From(builder.Configuration));
        // Read the base address when a client is made, not now: a host that starts the courier itself knows it late.
        builder.Services.AddHttpClient<ICourierClient, HttpCourierClient>((services, client) =>
            client.BaseAddress = HttpCourierClient.BaseAddressFrom(services.GetRequiredService<IConfiguration>()));

        builder.Services.AddSingleton<BookPendingShipments>();
        builder.Services.AddSingleton<TrackDispatchedShipments>();
        builder.Services.AddHostedService<CourierBookingWorker>();
        builder.Services.AddHostedService<CourierTrackingWorker>();
        builder.Services.AddScoped<GetShipment>();
        return builder;
    }

    public static WebApplication MapDeliveryService(this WebApplication app)
    {
        app.MapGrpcService<ShipmentsService>();
        return app;
    }
}
