using System.Globalization;
using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer.Documents;

/// <summary>
/// The case page's form to record that a decision was served by post (邮寄送达) or handed over at the hall (直接送达):
/// Certificate checks the officer's county and role, records it once, and issues the 送达回证. Back to the case page
/// with the outcome in a banner.
/// </summary>
public sealed partial class ServiceModel(Certificates.CertificatesClient certificates, ILogger<ServiceModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    /// <param name="servedAt">As a datetime-local field sends it (yyyy-MM-ddTHH:mm), China time.</param>
    public async Task<IActionResult> OnPostAsync(
        string? number, string? caseId, string? method, string? servedAt, string? recipient, CancellationToken cancellationToken)
    {
        var request = new RecordServiceRequest
        {
            DocumentNumber = number?.Trim() ?? "",
            Method = method switch
            {
                "Post" => DocumentServiceMethod.Post,
                "Hall" => DocumentServiceMethod.Hall,
                _ => DocumentServiceMethod.Unspecified,
            },
            Recipient = recipient?.Trim() ?? "",
        };
        if (DateTime.TryParseExact(servedAt, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            request.ServedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(local, ChinaTime.Offset));
        }

        try
        {
            var served = await certificates.RecordServiceAsync(request, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已登记送达：{served.Title} {served.Number}，签收人 {served.Recipient}，已生成送达回证。";
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.InvalidArgument)
        {
            TempData[Banner.Alert] = "未能登记送达：" + string.Join("；", FormErrors.From(ex).Items.Select(i => i.Message));
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.PermissionDenied or GrpcCode.FailedPrecondition or GrpcCode.NotFound)
        {
            TempData[Banner.Alert] = "未能登记送达：" + ex.Status.Detail;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogFailed(logger, ex, ex.StatusCode);
            TempData[Banner.Alert] = "未能登记送达：系统暂时无法办理，请稍后再试。";
        }

        return Guid.TryParse(caseId, out var id) ? Redirect($"/officer/case/{id}#documents-title") : Redirect("/officer");
    }

    [LoggerMessage(LogLevel.Warning, "Certificate did not record a service ({StatusCode})")]
    private static partial void LogFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
