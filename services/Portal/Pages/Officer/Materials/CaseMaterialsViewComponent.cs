using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Security;

namespace Permits.Portal.Pages.Officer.Materials;

/// <summary>
/// 申请材料 on the officer's case page: each file's type, size, content hash (prefix) and a download link. Intake
/// decides who may see them (reviewing officers of the application's county, by the officer's token); a refusal or an
/// outage shows as a sentence, and the rest of the case page still works.
/// </summary>
public sealed partial class CaseMaterialsViewComponent(
    Applications.ApplicationsClient applications, ILogger<CaseMaterialsViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string applicationId)
    {
        try
        {
            var reply = await applications.ListCaseMaterialsAsync(
                new ListCaseMaterialsRequest { ApplicationId = applicationId },
                new CallOptions(headers: await PortalCaller.HeadersAsync(HttpContext), cancellationToken: HttpContext.RequestAborted));
            return View(new CaseMaterialsView(reply.Materials.ToList(), null));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            var problem = ex.StatusCode switch
            {
                StatusCode.PermissionDenied or StatusCode.NotFound => "无法查阅申请材料：" + ex.Status.Detail,
                StatusCode.Unauthenticated => "无法查阅申请材料：登录已失效，请退出后重新登录。",
                _ => "申请材料暂时无法读取，请稍后刷新。",
            };
            if (ex.StatusCode is not (StatusCode.PermissionDenied or StatusCode.NotFound or StatusCode.Unauthenticated))
            {
                LogListFailed(logger, ex, ex.StatusCode);
            }

            return View(new CaseMaterialsView([], problem));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Listing a case's materials failed with {StatusCode}")]
    private static partial void LogListFailed(ILogger logger, Exception exception, StatusCode statusCode);
}

/// <summary>The materials of one case, or why they cannot be shown.</summary>
public sealed record CaseMaterialsView(IReadOnlyList<Material> Materials, string? Problem)
{
    public static string KindLabel(MaterialKind kind) => Apply.IndexModel.MaterialLabel(kind);

    public static string TypeLabel(string contentType) => contentType switch
    {
        "image/jpeg" => "JPG 图片",
        "image/png" => "PNG 图片",
        "application/pdf" => "PDF 文件",
        _ => contentType,
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} 字节",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.##} MB",
    };
}
