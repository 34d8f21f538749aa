using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Security;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Shared.Components.CaseDocuments;

/// <summary>
/// The formal documents of an application (补正材料告知书 … 送达回证) with links to open and print each, on the
/// shopkeeper's application page and the officer's case page; for officers also the form that records a decision's
/// service by post or at the hall. Asked with the person's token: Certificate decides who may see them.
/// </summary>
public sealed partial class CaseDocumentsViewComponent(Certificates.CertificatesClient certificates, ILogger<CaseDocumentsViewComponent> logger)
    : ViewComponent
{
    /// <param name="caseId">The officer's case page to come back to after recording a service; empty for the shopkeeper.</param>
    public async Task<IViewComponentResult> InvokeAsync(string applicationId, string caseId)
    {
        var model = new CaseDocumentsView(applicationId, caseId, [], null);
        try
        {
            var response = await certificates.ListDocumentsAsync(
                new ListDocumentsRequest { ApplicationId = applicationId }, await PortalCaller.HeadersAsync(HttpContext),
                cancellationToken: HttpContext.RequestAborted);
            model = model with { Documents = response.Documents };
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.PermissionDenied or GrpcCode.Unauthenticated or GrpcCode.InvalidArgument)
        {
            // Nothing of this application to show to this person.
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnavailable(logger, ex, ex.StatusCode);
            model = model with { Error = "文书暂时无法显示，请稍后刷新。" };
        }

        return View(model);
    }

    [LoggerMessage(LogLevel.Warning, "Certificate did not list the documents ({StatusCode})")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, GrpcCode statusCode);
}

public sealed record CaseDocumentsView(string ApplicationId, string CaseId, IReadOnlyList<OfficialDocument> Documents, string? Error)
{
    public bool ForOfficer => CaseId.Length > 0;

    /// <summary>Where a document opens inline, to read or print.</summary>
    public static string PdfLink(OfficialDocument document) => $"/documents/pdf?number={Uri.EscapeDataString(document.Number)}";

    public static string Service(OfficialDocument document) => document.ServiceMethod switch
    {
        DocumentServiceMethod.Electronic => "电子送达",
        DocumentServiceMethod.Post => "邮寄送达",
        DocumentServiceMethod.Hall => "直接送达",
        _ => "",
    };
}
