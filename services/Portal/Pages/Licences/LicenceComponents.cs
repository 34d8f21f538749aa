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

/// <summary>
/// On the officer's case page of a request on a licence (变更, 补办, 注销, ...): the licence it concerns, as it stands,
/// and whether the applicant was matched to its holder when they submitted (Review keeps the match from Intake).
/// </summary>
public sealed class TargetLicenceViewComponent(Certificates.CertificatesClient certificates, ILogger<TargetLicenceViewComponent> logger)
    : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string licenceNumber, string holderMatch)
    {
        if (string.IsNullOrEmpty(licenceNumber))
        {
            return Content("");
        }

        CertificateMessage? licence = null;
        string? note = null;
        try
        {
            licence = await certificates.GetCertificateAsync(
                new GetCertificateRequest { LicenceNumber = licenceNumber }, await PortalCaller.HeadersAsync(HttpContext),
                cancellationToken: HttpContext.RequestAborted);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound)
        {
            note = "电子证照系统中没有这个许可证号。";
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            note = error.Status.Detail;
        }
        catch (RpcException error)
        {
            LicenceLog.PanelFailed(logger, error, error.StatusCode);
            note = "许可证信息暂时无法读取，请稍后刷新。";
        }

        return View(new TargetLicencePanel(licenceNumber, holderMatch, licence, note));
    }
}

public sealed record TargetLicencePanel(string LicenceNumber, string HolderMatch, CertificateMessage? Licence, string? Note);
