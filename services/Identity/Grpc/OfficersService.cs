using Grpc.Core;
using Permits.Contracts.Identity.V1;

namespace Permits.Identity.Grpc;

/// <summary>Thin: officer accounts for services and officers of the same county (see <see cref="Features.OfficerDirectory"/>).</summary>
public sealed class OfficersService(Features.OfficerDirectory directory) : Officers.OfficersBase
{
    public override Task<Officer> GetOfficer(GetOfficerRequest request, ServerCallContext context) => directory.GetAsync(request, context);

    public override Task<ListOfficersResponse> ListOfficers(ListOfficersRequest request, ServerCallContext context) =>
        directory.ListAsync(request, context);
}
