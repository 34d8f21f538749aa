using Permits.Contracts.Certificate.V1;
using Permits.Intake.Consumers;
using Permits.Intake.Features;
using Permits.Intake.Grpc;
using Permits.Intake.Security;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Permits.Intake;

/// <summary>Applications (申请): submission, the applicant-facing status, and following the case through other services.</summary>
public sealed class IntakeModule : IServiceModule
{
    public static string Name => "Intake";
}

public static class IntakeModuleExtensions
{
    /// <summary>Configuration: Services:Certificate:Url is asked who holds a licence (see <see cref="CertificateLicenceHolders"/>).</summary>
    public static WebApplicationBuilder AddIntakeService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IntakeModule>();
        builder.AddConsumers<IntakeModule>(consumers => consumers
            .Add<ApplicationAcceptedConsumer>()
            .Add<LicenceApprovedConsumer>()
            .Add<CertificateIssuedConsumer>()
            .Add<ShipmentDispatchedConsumer>()
            .Add<ShipmentDeliveredConsumer>()
            .Add<DeliveryFailedConsumer>()
            .Add<CorrectionRequestedConsumer>()
            .Add<ApplicationNotAcceptedConsumer>()
            .Add<LicenceDeniedConsumer>()
            .Add<DecisionPeriodExtendedConsumer>()
            .Add<ShipmentProgressedConsumer>()
            .Add<ShipmentAwaitingPickupConsumer>()
            .Add<CertificateSuspendedConsumer>()
            .Add<CertificateResumedConsumer>()
            .Add<CertificateRevokedConsumer>()
            .Add<HolidayCalendarPublishedConsumer>());
        builder.AddPermitsAuthentication(PermitsAudiences.Intake);
        builder.Services.AddSingleton<ApplicantAccess>();
        builder.Services.AddSingleton<PublicLookupLimiter>();
        // Certificate owns licences and their holders: asked at submission of a request on a licence (the shared
        // resilience pipeline applies, as to every outgoing HTTP client).
        builder.Services.AddServiceReadClient<Certificates.CertificatesClient>(
            CertificateLicenceHolders.ClientName, "Services:Certificate:Url");
        builder.Services.TryAddSingleton<ILicenceHolders, CertificateLicenceHolders>();
        builder.Services.AddSingleton<Permits.Intake.Domain.MaterialRequirements>();
        builder.Services.AddSingleton<Permits.Intake.Domain.FormRequirements>();
        builder.Services.AddSingleton<Permits.Intake.Domain.ApplicantDeadlines>();
        builder.Services.AddSingleton<RequestRules>();
        builder.Services.AddSingleton<ApplicationFormValidator>();
        builder.Services.AddSingleton<CountyMaterials>();
        builder.Services.AddSingleton<MaterialSettingsAdmin>();
        builder.Services.AddSingleton<CountyFields>();
        builder.Services.AddSingleton<FieldSettingsAdmin>();
        builder.Services.AddSingleton<GetFormSpec>();
        builder.Services.AddScoped<SubmitApplication>();
        builder.Services.AddScoped<ResubmitApplication>();
        builder.Services.AddScoped<GetApplication>();
        builder.Services.AddScoped<Drafts>();
        builder.Services.AddScoped<MyApplications>();
        builder.Services.AddScoped<CaseActions>();
        builder.Services.AddScoped<Materials>();
        builder.Services.AddScoped<CaseMaterials>();
        return builder;
    }

    public static WebApplication MapIntakeService(this WebApplication app)
    {
        // A wrong requirements file stops the start, not the first applicant.
        app.Services.GetRequiredService<Permits.Intake.Domain.MaterialRequirements>();
        app.Services.GetRequiredService<Permits.Intake.Domain.FormRequirements>();
        app.MapGrpcService<ApplicationsService>();
        return app;
    }
}
