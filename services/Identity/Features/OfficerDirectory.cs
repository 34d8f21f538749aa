using Dapper;
using Grpc.Core;
using Permits.Contracts.Identity.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;

namespace Permits.Identity.Features;

/// <summary>
/// Who the officers of a county are, for services that must check one (Review's second inspector): Identity is the one
/// source of truth for officer accounts; a deactivated account is no one's colleague. Only an officer may ask, about their own county: an officer of another county
/// is NOT_FOUND, exactly like one who does not exist, so counties' staff lists cannot be walked from outside.
/// </summary>
public sealed class OfficerDirectory(ServiceDatabase<IdentityModule> database)
{
    public const string ByIdSql = """
        SELECT username AS Username, subject AS Subject, display_name AS DisplayName, county_code AS CountyCode, roles AS Roles
        FROM identity_officers WHERE (subject = @Id OR username = @Username) AND deactivated_at IS NULL
        """;

    public const string ByCountySql = """
        SELECT username AS Username, subject AS Subject, display_name AS DisplayName, county_code AS CountyCode, roles AS Roles
        FROM identity_officers WHERE county_code = @CountyCode AND deactivated_at IS NULL ORDER BY subject
        """;

    public async Task<Officer> GetAsync(GetOfficerRequest request, ServerCallContext context)
    {
        var caller = await RequireOfficerAsync(context);
        var id = (request.OfficerId ?? "").Trim();
        if (id.Length is 0 or > 100)
        {
            new FieldErrors().Add("officer_id", "请填写工作人员工号").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(context.CancellationToken);
        var rows = await connection.QueryAsync<OfficerRow>(ByIdSql, new { Id = id, Username = id.ToLowerInvariant() });
        var officer = rows.FirstOrDefault(r => r.CountyCode == caller.County);
        return officer is null
            ? throw new RpcException(new Status(StatusCode.NotFound, "本县（市、区）没有这名工作人员"))
            : ToMessage(officer);
    }

    public async Task<ListOfficersResponse> ListAsync(ListOfficersRequest request, ServerCallContext context)
    {
        var caller = await RequireOfficerAsync(context);
        var county = (request.CountyCode ?? "").Trim();
        if (county.Length > 0 && county != caller.County)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只能查看本县（市、区）的工作人员"));
        }

        var role = (request.Role ?? "").Trim();
        await using var connection = await database.OpenAsync(context.CancellationToken);
        var rows = await connection.QueryAsync<OfficerRow>(ByCountySql, new { CountyCode = caller.County });
        var response = new ListOfficersResponse();
        response.Officers.AddRange(rows.Where(r => role.Length == 0 || r.RoleList.Contains(role)).Select(ToMessage));
        return response;
    }

    private static async Task<CallerIdentity> RequireOfficerAsync(ServerCallContext context)
    {
        var caller = await CallerIdentity.AuthenticateAsync(context);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：须携带工作人员访问令牌"));
        }

        if (!caller.IsOfficer || string.IsNullOrEmpty(caller.County))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有县级局工作人员可以查询工作人员"));
        }

        return caller;
    }

    private static Officer ToMessage(OfficerRow row)
    {
        var officer = new Officer { OfficerId = row.Subject, Username = row.Username, DisplayName = row.DisplayName, CountyCode = row.CountyCode };
        officer.Roles.AddRange(row.RoleList);
        return officer;
    }
}
