using Grpc.Core;
using Permits.Review.Domain;

namespace Permits.Review.Grpc;

/// <summary>
/// The one place that decides who is calling. Today: the officer fields of the request, completed from the demo
/// roster when only an id is given. With sign-in: read <c>call.GetHttpContext().User</c> (claims sub, name, role,
/// county) instead and ignore the request's fields; nothing else changes.
/// </summary>
public sealed class OfficerContexts(OfficerRoster roster)
{
    public OfficerContext From(ServerCallContext call, string officerId, string role, string countyCode, string name = "")
    {
        var id = officerId.Trim();
        var peer = call.Peer ?? "";
        if (role.Trim().Length == 0 && countyCode.Trim().Length == 0 && roster.TryGet(id, out var known))
        {
            return new OfficerContext(known.Id, known.Name, Parse(known.Role), known.County, peer);
        }

        return new OfficerContext(id.Length == 0 ? "anonymous" : id, name.Trim(), Parse(role), countyCode.Trim(), peer);
    }

    private static OfficerRole? Parse(string role) => OfficerContext.TryParseRole(role, out var parsed) ? parsed : null;
}
