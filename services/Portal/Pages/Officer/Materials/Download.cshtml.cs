using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Security;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer.Materials;

/// <summary>
/// Downloads one material of a case for the signed-in officer: Intake serves it only to the reviewing officers of the
/// application's county (the officer's token decides). Always an attachment of the type detected from its content,
/// with its file name, never sniffed, never cached.
/// </summary>
public sealed class DownloadModel(Applications.ApplicationsClient applications) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var material = await applications.DownloadCaseMaterialAsync(
                new DownloadMaterialRequest { MaterialId = id },
                new CallOptions(headers: await PortalCaller.HeadersAsync(HttpContext), cancellationToken: cancellationToken));
            Response.Headers.XContentTypeOptions = "nosniff";
            Response.Headers.CacheControl = "no-store";
            Response.Headers.ContentSecurityPolicy = "sandbox";
            return File(material.Content.ToByteArray(), material.Material.ContentType, material.Material.FileName);
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
