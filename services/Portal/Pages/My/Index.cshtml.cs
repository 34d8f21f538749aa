using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;

namespace Permits.Portal.Pages.My;

/// <summary>我的办件: the signed-in shopkeeper's applications and drafts, newest first.</summary>
public sealed class IndexModel(Applications.ApplicationsClient applications, IConfiguration configuration) : ApplicantPage(configuration)
{
    public ListMyApplicationsResponse Mine { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            Mine = await applications.ListMyApplicationsAsync(new ListMyApplicationsRequest(), await HeadersAsync(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }

        return Page();
    }

    /// <summary>删除草稿 (with the files attached to it), e.g. to start again at the draft limit; then back to the list.</summary>
    public async Task<IActionResult> OnPostDeleteDraftAsync(string? draftId, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            await applications.DeleteDraftAsync(new DeleteDraftRequest { DraftId = draftId ?? "" }, await HeadersAsync(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode is global::Grpc.Core.StatusCode.NotFound)
        {
            // Already gone (deleted in another tab, or submitted): the list shows what is left.
        }

        return RedirectToPage();
    }
}
