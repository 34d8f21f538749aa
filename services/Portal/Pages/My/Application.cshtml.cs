using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Security;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.My;

/// <summary>
/// One of the shopkeeper's own applications: every step with its time, the deadline ahead, the items to fix (补正)
/// with the way to fix them, and withdrawing (撤回) while no decision is made: the first POST shows what withdrawing
/// means, the second (with its confirmation token) withdraws. Another's application is 404.
/// </summary>
public sealed class ApplicationModel(
    Applications.ApplicationsClient applications, IDataProtectionProvider protection, IConfiguration configuration) : ApplicantPage(configuration)
{
    public Application? Application { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    /// <summary>This is the confirmation page of 撤回: what withdrawing means, and the form that withdraws.</summary>
    public bool ConfirmingWithdrawal { get; private set; }

    /// <summary>The message about the withdrawal reason, shown next to it.</summary>
    public string? ReasonError { get; private set; }

    /// <summary>The token of the second step of 撤回 on this application by this shopkeeper.</summary>
    public string WithdrawalToken => Application is null ? "" : protection.Mint(WithdrawalSubject(Application.ApplicationId));

    [BindProperty]
    public string? Level { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>好差评 levels, best first; the last two are 差评.</summary>
    public static readonly IReadOnlyList<Option> Levels =
    [
        new(nameof(RatingLevel.VerySatisfied), "非常满意"),
        new(nameof(RatingLevel.Satisfied), "满意"),
        new(nameof(RatingLevel.BasicallySatisfied), "基本满意"),
        new(nameof(RatingLevel.Dissatisfied), "不满意"),
        new(nameof(RatingLevel.VeryDissatisfied), "非常不满意"),
    ];

    /// <summary>Where a 查询码 just issued waits for the next view of the page (it is shown once; Intake keeps a hash).</summary>
    public static string QueryCodeKey(string applicationId) => "QueryCode:" + applicationId;

    /// <summary>The 查询码 issued just now (at submit or on request), if any.</summary>
    public string? NewQueryCode { get; private set; }

    /// <summary>A new 查询码 for the public progress view; the earlier one stops working.</summary>
    public async Task<IActionResult> OnPostQueryCodeAsync(string id, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            var renewed = await applications.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = id, RenewQueryCode = true }, await HeadersAsync(),
                cancellationToken: cancellationToken);
            TempData[QueryCodeKey(id)] = renewed.QueryCode;
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            return NotFound();
        }

        return Redirect("/my/" + Uri.EscapeDataString(id));
    }

    public static string LevelLabel(RatingLevel level) =>
        Levels.FirstOrDefault(l => l.Value == level.ToString())?.Label ?? "";

    public async Task<IActionResult> OnPostRateAsync(string id, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            await applications.RateAsync(new RateServiceRequest
            {
                ApplicationId = id,
                Level = Enum.TryParse<RatingLevel>(Level, out var level) ? level : RatingLevel.Unspecified,
                Comment = Comment ?? "",
            }, await HeadersAsync(), cancellationToken: cancellationToken);
            TempData[Banner.Success] = "感谢您的评价。";
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (CanAlert(ex))
        {
            TempData[Banner.Alert] = AlertOf(ex);
        }

        return Redirect("/my/" + Uri.EscapeDataString(id));
    }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            Application = await applications.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = id }, await HeadersAsync(), cancellationToken: cancellationToken);
            NewQueryCode = TempData[QueryCodeKey(id)] as string;
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string id, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        if (!protection.Confirms(WithdrawalSubject(id), Confirmation))
        {
            ConfirmingWithdrawal = true;
            return await OnGetAsync(id, cancellationToken);
        }

        try
        {
            await applications.WithdrawAsync(
                new WithdrawApplicationRequest { ApplicationId = id, Reason = Reason ?? "" }, await HeadersAsync(),
                cancellationToken: cancellationToken);
            TempData[Banner.Success] = "申请已撤回。";
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (CallFailures.Of(ex) == CallFailure.Fields)
        {
            // The reason is the only field: its message goes next to it, on the confirmation page.
            ReasonError = string.Join("；", FormErrors.From(ex).Items.Select(i => i.Message));
            ConfirmingWithdrawal = true;
            return await OnGetAsync(id, cancellationToken);
        }
        catch (RpcException ex) when (CanAlert(ex))
        {
            TempData[Banner.Alert] = AlertOf(ex);
        }

        return Redirect("/my/" + Uri.EscapeDataString(id));
    }

    private string WithdrawalSubject(string id) => $"withdraw|{id}|{PortalCaller.Identity(HttpContext).Subject}";
}
