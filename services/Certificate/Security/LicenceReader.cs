using Grpc.Core;
using Permits.Shared.Security;

namespace Permits.Certificate.Security;

/// <summary>
/// Who reads a licence: the caller from their validated token, and that token as sent (<c>Bearer …</c>), forwarded to
/// Intake to ask whether they hold it.
/// </summary>
public sealed record LicenceReader(CallerIdentity Identity, string? Authorization)
{
    /// <summary>An anonymous reader is refused before anything is looked up, so a stranger never learns whether a number exists.</summary>
    public void RequireSignedIn()
    {
        if (!Identity.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：只有持证人本人或发证县的工作人员可以查看"));
        }
    }
}
