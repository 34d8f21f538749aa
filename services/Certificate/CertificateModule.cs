using Permits.Certificate.Consumers;
using Permits.Certificate.Features;
using Permits.Certificate.Grpc;
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
        builder.Services.AddScoped<GetCertificate>();
        return builder;
    }

    public static WebApplication MapCertificateService(this WebApplication app)
    {
        app.MapGrpcService<CertificatesService>();
        return app;
    }
}
