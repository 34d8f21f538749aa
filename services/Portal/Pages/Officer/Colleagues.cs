using Grpc.Core;
using Permits.Contracts.Identity.V1;
using IdentityOfficer = Permits.Contracts.Identity.V1.Officer;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// The officers of the signed-in officer's county, for handing a claimed case to a colleague: Identity owns the
/// accounts (Officers.ListOfficers, asked with the officer's own token; it answers only about their county). Without
/// <c>Services:Identity:Url</c>, or with Identity unreachable, there is no list and the queue offers only 交回.
/// </summary>
public sealed partial class Colleagues(IServiceProvider services, ILogger<Colleagues> logger)
{
    /// <summary>Everyone of the county (any role), ordered by officer id; null when Identity cannot be asked.</summary>
    public async Task<IReadOnlyList<IdentityOfficer>?> ListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (services.GetService<Officers.OfficersClient>() is not { } officers)
        {
            return null;
        }

        try
        {
            var reply = await officers.ListOfficersAsync(new ListOfficersRequest(), await OfficerIdentity.CallAsync(context, cancellationToken));
            return reply.Officers;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, ex, ex.StatusCode);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Identity did not list the county's officers ({StatusCode}); the queue offers no hand-over to a colleague")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, StatusCode statusCode);
}
