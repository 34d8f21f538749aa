using Permits.Certificate.Consumers;
using Permits.Certificate.Features;
using Permits.Certificate.Grpc;
using Permits.Certificate.Signing;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

namespace Permits.Certificate;

/// <summary>Licence numbers and the issued electronic licences (电子证照).</summary>
public sealed class CertificateModule : IServiceModule
{
    public static string Name => "Certificate";
}

public static class CertificateModuleExtensions
{
    public static WebApplicationBuilder AddCertificateService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CertificateModule>();
        builder.AddConsumers<CertificateModule>(consumers => consumers.Add<LicenceApprovedConsumer>());
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<LicenceSigner>();
        builder.Services.AddScoped<IssueCertificate>();
        builder.Services.AddScoped<GetCertificate>();
        builder.Services.AddScoped<VerifyLicence>();
        builder.Services.AddScoped<GetStatusList>();
        builder.Services.AddScoped<GetLicenceDocument>();
        builder.Services.AddScoped<LicenceLifecycle>();
        return builder;
    }

    public static WebApplication MapCertificateService(this WebApplication app)
    {
        app.MapGrpcService<CertificatesService>();
        return app;
    }
}
