using Grpc.Core;
using Permits.Contracts.Identity.V1;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Admin;

/// <summary>
/// One call to Identity's officer accounts as the signed-in administrator (their token): field errors for the form, any
/// other refusal as the sentence the page shows. Identity is optional in the Portal's configuration; without it the
/// pages say so.
/// </summary>
public static class OfficerAccountsCall
{
    public static async Task<(FormErrors Errors, string? Error)> RunAsync(
        HttpContext context, ILogger logger, Func<OfficerAccounts.OfficerAccountsClient, CallOptions, Task> call, CancellationToken cancellationToken)
    {
        if (context.RequestServices.GetService<OfficerAccounts.OfficerAccountsClient>() is not { } client)
        {
            return (FormErrors.None, "统一身份认证服务未配置，暂时无法管理工作人员账号。");
        }

        try
        {
            await call(client, await OfficerIdentity.CallAsync(context, cancellationToken));
            return (FormErrors.None, null);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            return (FormErrors.From(ex), null);
        }
        catch (RpcException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            return (FormErrors.None, OfficerErrors.Explain(ex, logger));
        }
    }
}
