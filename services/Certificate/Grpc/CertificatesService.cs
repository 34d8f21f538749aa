using Grpc.Core;
using Permits.Certificate.Features;
using Permits.Contracts.Certificate.V1;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Certificate.Grpc;

public sealed class CertificatesService(GetCertificate get) : Certificates.CertificatesBase
{
    public override Task<CertificateMessage> GetCertificate(GetCertificateRequest request, ServerCallContext context) =>
        get.HandleAsync(request, context.CancellationToken);
}
