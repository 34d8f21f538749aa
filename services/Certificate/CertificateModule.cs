using Permits.Certificate.Consumers;
using Permits.Certificate.Features;
using Permits.Certificate.Features.Documents;
using Permits.Certificate.Features.Lifecycle;
using Permits.Certificate.Features.Register;
using Permits.Certificate.Grpc;
using Permits.Certificate.Security;
using Permits.Certificate.Signing;
using Permits.Certificate.Workers;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;

namespace Permits.Certificate;

/// <summary>Licence numbers and the issued electronic licences (电子证照).</summary>
public sealed class CertificateModule : IServiceModule
{
    public static string Name => "Certificate";
}

public static class CertificateModuleExtensions
{
    /// <summary>
    /// Configuration: Certificate:Signing:Keys, Certificate:FontFile, Certificate:SubsetFont, Certificate:LicenceTypeCode;
    /// Certificate:PublicVerifyUrl (the Portal's public verification page the licence's QR code opens, see <see cref="Documents.LicenceQr"/>);
    /// Certificate:Suspensions:Enabled and Certificate:Suspensions:PollSeconds (scheduled 停业, see <see cref="SuspensionWorker"/>);
    /// callers' access tokens are trusted through Identity:Authority or Identity:Issuer + Identity:SigningKeys, and
    /// Services:Intake:Url is asked who holds a licence (see <see cref="LicenceAccess"/>).
    /// </summary>
    public static WebApplicationBuilder AddCertificateService(this WebApplicationBuilder builder)
    {
        builder.AddPermitsAuthentication(PermitsAudiences.Certificate);
        builder.AddServiceDatabase<CertificateModule>();
        builder.Services.AddServiceReadClient<Applications.ApplicationsClient>(LicenceAccess.IntakeClient, "Services:Intake:Url");
        builder.Services.AddSingleton<LicenceAccess>();
        builder.Services.AddScoped<SearchLicences>();
        builder.AddConsumers<CertificateModule>(consumers => consumers
            .Add<ApplicationSubmittedConsumer>()
            .Add<LicenceApprovedConsumer>()
            .Add<CorrectionRequestedConsumer>()
            .Add<ApplicationAcceptedConsumer>()
            .Add<ApplicationNotAcceptedConsumer>()
            .Add<SiteInspectedConsumer>()
            .Add<ReviewOpinionRecordedConsumer>()
            .Add<DecisionPeriodExtendedConsumer>()
            .Add<LicenceDeniedConsumer>()
            .Add<ShipmentDeliveredConsumer>()
            .Add<ShipmentAwaitingPickupConsumer>()
            .Add<HallSettingsChangedConsumer>());
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<LicenceSigner>();
        builder.Services.AddScoped<IssueCertificate>();
        builder.Services.AddScoped<GetCertificate>();
        builder.Services.AddScoped<VerifyLicence>();
        builder.Services.AddScoped<GetStatusList>();
        builder.Services.AddScoped<GetLicenceDocument>();
        builder.Services.AddScoped<LicenceLifecycle>();
        builder.Services.AddScoped<OfficerLifecycle>();
        builder.Services.AddScoped<ApprovedRequests>();
        builder.Services.AddScoped<ScheduledSuspensions>();
        builder.Services.AddSingleton<CheckHolder>();
        builder.Services.AddSingleton<IssueDocument>();
        builder.Services.AddSingleton<ServeDocument>();
        builder.Services.AddSingleton<CaseDocuments>();
        builder.Services.AddScoped<ReadDocuments>();
        builder.Services.AddScoped<RecordService>();
        builder.Services.AddSingleton<LicenceTokens>();
        builder.Services.AddScoped<ImportRegister>();
        builder.Services.AddScoped<ExportRegister>();
        // A county's register (100,000 licences, some 20 MB as CSV) travels in one message each way.
        builder.Services.AddGrpc().AddServiceOptions<CertificatesService>(options =>
        {
            options.MaxReceiveMessageSize = RegisterFiles.MaxFileBytes;
            options.MaxSendMessageSize = RegisterFiles.MaxFileBytes;
        });
        var suspensions = builder.Configuration.GetSection("Certificate:Suspensions");
        builder.Services.AddSingleton(new SuspensionWorkerSettings(
            suspensions.GetValue("Enabled", true), TimeSpan.FromSeconds(suspensions.GetValue("PollSeconds", 60.0))));
        builder.Services.AddSingleton<SuspensionWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SuspensionWorker>());
        return builder;
    }

    public static WebApplication MapCertificateService(this WebApplication app)
    {
        app.MapGrpcService<CertificatesService>();
        return app;
    }
}
