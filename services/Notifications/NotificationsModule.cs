using Microsoft.Extensions.Http.Resilience;
using Permits.Notifications.Consumers;
using Permits.Notifications.Domain;
using Permits.Notifications.Features;
using Permits.Notifications.Grpc;
using Permits.Notifications.Sms;
using Permits.Notifications.Workers;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;

namespace Permits.Notifications;

/// <summary>Text messages (短信) to applicants: how their application goes, where their licence is, when it expires.</summary>
public sealed class NotificationsModule : IServiceModule
{
    public static string Name => "Notifications";
}

public static class NotificationsModuleExtensions
{
    public static WebApplicationBuilder AddNotificationsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsModule>();
        builder.AddConsumers<NotificationsModule>(consumers => consumers
            .Add<ApplicationSubmittedConsumer>()
            .Add<CorrectionRequestedConsumer>()
            .Add<ApplicationAcceptedConsumer>()
            .Add<ApplicationNotAcceptedConsumer>()
            .Add<DecisionPeriodExtendedConsumer>()
            .Add<RatingFollowedUpConsumer>()
            .Add<LicenceApprovedConsumer>()
            .Add<LicenceDeniedConsumer>()
            .Add<CertificateIssuedConsumer>()
            .Add<ShipmentDispatchedConsumer>()
            .Add<ShipmentAwaitingPickupConsumer>()
            .Add<ShipmentDeliveredConsumer>()
            .Add<DocumentServedConsumer>()
            .Add<CertificateVersionIssuedConsumer>()
            .Add<CertificateRevokedConsumer>()
            .Add<LicencesImportedConsumer>()
            .Add<HolidayCalendarPublishedConsumer>());

        builder.AddPermitsAuthentication(PermitsAudiences.Notifications);
        builder.Services.AddSingleton(NotificationSettings.From(builder.Configuration));
        builder.Services.AddSingleton(_ => MessageTemplates.LoadEmbedded());
        // The shared standard resilience pipeline (Polly: retries, timeouts, circuit breaker) wraps every HttpClient;
        // what it cannot save is retried later by the sender, from the database. The address is read when a client is
        // made, so a host that starts the gateway itself may set it late.
        builder.Services.AddHttpClient<SmsGatewayClient>((services, client) =>
            client.BaseAddress = SmsGatewayClient.BaseAddressFrom(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddOptions<HttpStandardResilienceOptions>(SmsGatewayClient.ResiliencePipeline)
            .Configure<IConfiguration>(SmsGatewayClient.ConfigureResilience);
        builder.Services.AddSingleton<SendDueMessages>();
        builder.Services.AddHostedService<MessageSender>();
        builder.Services.AddSingleton<SendExpiryReminders>();
        builder.Services.AddSingleton<ExpiryReminderWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ExpiryReminderWorker>());
        builder.Services.AddSingleton<ListMessages>();
        builder.Services.AddSingleton<GetClerkNotice>();
        return builder;
    }

    public static WebApplication MapNotificationsService(this WebApplication app)
    {
        app.MapGrpcService<MessagesService>();
        return app;
    }
}
