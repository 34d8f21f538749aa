using Permits.Intake.Consumers;
using Permits.Intake.Features;
using Permits.Intake.Grpc;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

namespace Permits.Intake;

/// <summary>Applications (申请): submission, the applicant-facing status, and following the case through other services.</summary>
public sealed class IntakeModule : IServiceModule
{
    public static string Name => "Intake";
}

public static class IntakeModuleExtensions
{
    public static WebApplicationBuilder AddIntakeService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IntakeModule>();
        builder.AddConsumers<IntakeModule>(consumers => consumers
            .Add<ApplicationAcceptedConsumer>()
            .Add<LicenceApprovedConsumer>()
            .Add<CertificateIssuedConsumer>()
            .Add<ShipmentDispatchedConsumer>()
            .Add<ShipmentDeliveredConsumer>()
            .Add<DeliveryFailedConsumer>());
        builder.Services.AddScoped<SubmitApplication>();
        builder.Services.AddScoped<GetApplication>();
        return builder;
    }

    public static WebApplication MapIntakeService(this WebApplication app)
    {
        app.MapGrpcService<ApplicationsService>();
        return app;
    }
}
