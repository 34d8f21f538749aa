using Grpc.Core;
using Permits.Contracts.Identity.V1;

namespace Permits.Identity.Grpc;

/// <summary>Thin: the 系统管理员's administration of officer accounts (see <see cref="Features.OfficerAccounts"/>).</summary>
public sealed class OfficerAccountsService(Features.OfficerAccounts accounts) : OfficerAccounts.OfficerAccountsBase
{
    public override Task<ListOfficerAccountsResponse> ListOfficerAccounts(ListOfficerAccountsRequest request, ServerCallContext context) =>
        accounts.ListAsync(request, context);

    public override Task<OfficerAccountSecret> CreateOfficerAccount(CreateOfficerAccountRequest request, ServerCallContext context) =>
        accounts.CreateAsync(request, context);

    public override Task<OfficerAccount> SetOfficerRoles(SetOfficerRolesRequest request, ServerCallContext context) =>
        accounts.SetRolesAsync(request, context);

    public override Task<OfficerAccount> DeactivateOfficerAccount(OfficerAccountRequest request, ServerCallContext context) =>
        accounts.DeactivateAsync(request, context);

    public override Task<OfficerAccount> ReactivateOfficerAccount(OfficerAccountRequest request, ServerCallContext context) =>
        accounts.ReactivateAsync(request, context);

    public override Task<OfficerAccountSecret> ResetOfficerPassword(OfficerAccountRequest request, ServerCallContext context) =>
        accounts.ResetPasswordAsync(request, context);

    public override Task<ListOfficerAccountChangesResponse> ListOfficerAccountChanges(ListOfficerAccountsRequest request, ServerCallContext context) =>
        accounts.ChangesAsync(request, context);
}
