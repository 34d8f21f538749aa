using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Security;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Portal.Pages.Licences;

/// <summary>
/// On the shopkeeper's application page (/my/{id}): once the licence is issued, its number, status, version and the
/// links to the PDF and the signed JSON. Certificate decides whether the signed-in person holds it.
/// </summary>
public sealed class ApplicantLicenceViewComponent(Certificates.CertificatesClient certificates, ILogger<ApplicantLicenceViewComponent> logger)
    : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string applicationId, string? licenceNumber)
    {
        if (string.IsNullOrEmpty(licenceNumber))
        {
            return Content("");
        }

        var panel = await LicenceLabels.LoadAsync(certificates, HttpContext, applicationId, forOfficer: false, logger);
        return panel is null ? Content("") : View(panel);
    }
}

/// <summary>On the officer's case page: the licence issued for the case, if any, with a link to its licence page.</summary>
public sealed class CaseLicenceViewComponent(Certificates.CertificatesClient certificates, ILogger<CaseLicenceViewComponent> logger)
    : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string applicationId)
    {
        var panel = await LicenceLabels.LoadAsync(certificates, HttpContext, applicationId, forOfficer: true, logger);
        return panel is null ? Content("") : View(panel);
    }
}
