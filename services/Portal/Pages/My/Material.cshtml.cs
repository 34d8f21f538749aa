using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;

namespace Permits.Portal.Pages.My;

/// <summary>Downloads one of the shopkeeper's own materials, always as an attachment of its detected type.</summary>
public sealed class MaterialModel(Applications.ApplicationsClient applications, IConfiguration configuration) : ApplicantPage(configuration)
{
    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            var material = await applications.DownloadMaterialAsync(
                new DownloadMaterialRequest { MaterialId = id }, await HeadersAsync(), cancellationToken: cancellationToken);
            Response.Headers.XContentTypeOptions = "nosniff";
            return File(material.Content.ToByteArray(), material.Material.ContentType, material.Material.FileName);
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            return NotFound();
        }
    }
}
