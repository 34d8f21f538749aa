using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Security;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer.Materials;

/// <summary>
/// Downloads one material of a case for the signed-in officer: Intake serves it only to the reviewing officers of the
/// application's county (the officer's token decides). An attachment of the type detected from its content, with its
/// file name (only a photo asked for inline is shown in place), never sniffed, never cached.
/// </summary>
public sealed class DownloadModel(Applications.ApplicationsClient applications) : PageModel
{
    /// <summary>With <c>?inline=true</c> a JPEG or PNG is answered for display (the case page's site photo thumbnails); anything else stays an attachment.</summary>
    public async Task<IActionResult> OnGetAsync(string id, bool inline, CancellationToken cancellationToken)
    {
        try
        {
            var material = await applications.DownloadCaseMaterialAsync(
                new DownloadMaterialRequest { MaterialId = id },
                new CallOptions(headers: await PortalCaller.HeadersAsync(HttpContext), cancellationToken: cancellationToken));
            Response.Headers.XContentTypeOptions = "nosniff";
            Response.Headers.CacheControl = "no-store";
            Response.Headers.ContentSecurityPolicy = "sandbox";
            var type = material.Material.ContentType;
            return inline && type is "image/jpeg" or "image/png"
                ? File(material.Content.ToByteArray(), type)
                : File(material.Content.ToByteArray(), type, material.Material.FileName);
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            return NotFound();
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.PermissionDenied)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.Unauthenticated)
        {
            return Challenge();
        }
    }
}
