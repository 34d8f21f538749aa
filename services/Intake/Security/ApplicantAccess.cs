using Grpc.Core;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Intake.Security;

/// <summary>
/// Who the caller is, from the bearer token (scheme <see cref="PermitsAuthentication.Scheme"/>, audience permits-intake),
/// authenticated here per call so it works whether or not the host runs the authentication middleware and whichever
/// scheme is the host's default (the embedded host also has the Portal's cookie). Submitting needs a signed-in
/// applicant in every mode: an application always has an owner.
/// </summary>
public sealed class ApplicantAccess
{
    public static Task<CallerIdentity> CallerAsync(ServerCallContext context) => CallerIdentity.AuthenticateAsync(context);

    /// <summary>The signed-in applicant's subject; UNAUTHENTICATED without a token, PERMISSION_DENIED for anyone else.</summary>
    public static async Task<string> RequireApplicantAsync(ServerCallContext context)
    {
        var caller = await CallerAsync(context);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录"));
        }

        if (!caller.IsInRole(PermitsRoles.Applicant) || caller.PhoneNumber is null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有申请人（商户）本人可以办理"));
        }

        return caller.Subject!;
    }

    /// <summary>
    /// Reading a submitted application as filed (the form, materials, history), a step of the reviewing officers of
    /// its county: audited each time (<see cref="Features.GetApplication.ForOfficerAsync"/>).
    /// </summary>
    public static readonly OfficerStep ReadCaseApplication = new(
        "ReadCaseApplication", "查阅申请", [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head]);

    /// <summary>
    /// A reviewing officer (a role of <see cref="ReadCaseApplication"/>, with a county claim): UNAUTHENTICATED without a
    /// token, PERMISSION_DENIED for anyone else. Whether the officer's county is the application's is the use case's check.
    /// </summary>
    public static async Task<Officer> RequireReviewingOfficerAsync(ServerCallContext context)
    {
        var caller = await CallerAsync(context);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录"));
        }

        if (!ReadCaseApplication.Roles.Any(caller.IsInRole) || Officer.TryFrom(caller, context.Peer ?? "") is not { } officer)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有本县（市、区）审查该申请的工作人员可以查阅申请材料"));
        }

        return officer;
    }

    /// <summary>The owner of a new application: the signed-in applicant (UNAUTHENTICATED without a token).</summary>
    public Task<string> SubmitterAsync(ServerCallContext context) => RequireApplicantAsync(context);
}
