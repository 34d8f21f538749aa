using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Notifications.V1;
using Permits.Portal.Pages.Officer;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Shared.Components.CaseMessages;

/// <summary>
/// 短信记录 on the officer's case page: what the applicant was sent about the case, the number masked. Asked with the
/// officer's token (Notifications shows the county's officers their own cases only); the panel is left out where the
/// Portal has no Notifications address.
/// </summary>
public sealed class CaseMessagesViewComponent(IServiceProvider services, ILogger<CaseMessagesViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string applicationId)
    {
        var model = new CaseMessagesView([], null);
        if (services.GetService<Messages.MessagesClient>() is not { } messages)
        {
            return Content("");
        }

        if (string.IsNullOrWhiteSpace(applicationId))
        {
            return View(Partial, model);
        }

        try
        {
            var reply = await messages.ListMessagesAsync(
                new ListMessagesRequest { ApplicationId = applicationId },
                await OfficerIdentity.CallAsync(HttpContext, HttpContext.RequestAborted));
            model = model with { Messages = reply.Messages };
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.NotFound)
        {
            // Nothing sent about this application yet: the panel says so.
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            model = model with { Error = OfficerErrors.Explain(ex, logger) };
        }

        return View(Partial, model);
    }

    /// <summary>The panel's markup lives with the case page's other parts.</summary>
    private const string Partial = "/Pages/Officer/CasePage/_Messages.cshtml";
}

public sealed record CaseMessagesView(IReadOnlyList<SentMessage> Messages, string? Error)
{
    /// <summary>How a message stands, in the officer's words.</summary>
    public static string Status(string status) => status switch
    {
        "Sent" => "已发送",
        "Retrying" => "发送失败，待重试",
        "Failed" => "发送失败",
        _ => "待发送",
    };
}
