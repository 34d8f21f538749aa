using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Features;
using Permits.Intake.Security;

namespace Permits.Intake.Grpc;

/// <summary>
/// Thin gRPC face: it resolves the caller and hands plain values to the use cases. GetApplication is the public status
/// by number and 查询码 (no free text, no personal data); GetFormSpec and GetRequirements are public; everything else
/// acts for the signed-in applicant (bearer token, audience permits-intake, role applicant) on their own applications
/// only, but the case calls (the application as filed and its materials), which serve the reviewing officers of the application's county.
/// </summary>
public sealed class ApplicationsService(
    SubmitApplication submit,
    ResubmitApplication resubmit,
    GetApplication get,
    GetFormSpec form,
    Drafts drafts,
    MyApplications mine,
    CaseActions actions,
    Materials materials,
    CaseMaterials caseMaterials,
    ApplicantAccess access,
    PublicLookupLimiter limiter,
    MaterialSettingsAdmin materialSettings,
    FieldSettingsAdmin fieldSettings) : Applications.ApplicationsBase
{
    public override async Task<SubmitApplicationResponse> Submit(SubmitApplicationRequest request, ServerCallContext context) =>
        await submit.HandleAsync(request, await access.SubmitterAsync(context), context.RequestHeaders.GetValue("authorization"), context.CancellationToken);

    public override Task<PublicApplication> GetApplication(GetApplicationRequest request, ServerCallContext context) =>
        get.PublicAsync(request, limiter.ClientOf(context), context.CancellationToken);

    public override Task<Application> GetMyApplication(GetApplicationRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => get.HandleAsync(request, owner, ct));

    public override Task<Draft> SaveDraft(SaveDraftRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => drafts.SaveAsync(request, owner, ct));

    public override Task<Draft> GetDraft(GetDraftRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => drafts.GetAsync(request, owner, ct));

    public override Task<DeleteDraftResponse> DeleteDraft(DeleteDraftRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => drafts.DeleteAsync(request, owner, ct));

    public override Task<ListMyApplicationsResponse> ListMyApplications(ListMyApplicationsRequest request, ServerCallContext context) =>
        ForApplicant(context, mine.HandleAsync);

    public override Task<Application> Withdraw(WithdrawApplicationRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => actions.WithdrawAsync(request, owner, ct));

    public override Task<Application> Resubmit(ResubmitApplicationRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => resubmit.HandleAsync(request, owner, ct));

    public override Task<Application> Rate(RateServiceRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => actions.RateAsync(request, owner, ct));

    public override Task<Material> UploadMaterial(UploadMaterialRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => materials.UploadAsync(request, owner, ct));

    public override Task<MaterialContent> DownloadMaterial(DownloadMaterialRequest request, ServerCallContext context) =>
        ForApplicant(context, (owner, ct) => materials.DownloadAsync(request, owner, ct));

    public override Task<Requirements> GetRequirements(GetRequirementsRequest request, ServerCallContext context) =>
        form.RequirementsAsync(request, context.CancellationToken);

    public override Task<FormSpec> GetFormSpec(GetFormSpecRequest request, ServerCallContext context) =>
        form.HandleAsync(request, context.CancellationToken);

    public override async Task<ListCaseMaterialsResponse> ListCaseMaterials(ListCaseMaterialsRequest request, ServerCallContext context) =>
        await caseMaterials.ListForOfficerAsync(request, await ApplicantAccess.RequireReviewingOfficerAsync(context), context.CancellationToken);

    public override async Task<MaterialContent> DownloadCaseMaterial(DownloadMaterialRequest request, ServerCallContext context) =>
        await caseMaterials.DownloadForOfficerAsync(request, await ApplicantAccess.RequireReviewingOfficerAsync(context), context.CancellationToken);

    public override async Task<Material> UploadInspectionPhoto(UploadInspectionPhotoRequest request, ServerCallContext context) =>
        await caseMaterials.UploadSitePhotoAsync(request, await ApplicantAccess.RequireReviewingOfficerAsync(context), context.CancellationToken);

    public override async Task<Application> GetCaseApplication(GetApplicationRequest request, ServerCallContext context) =>
        await get.ForOfficerAsync(request, await ApplicantAccess.RequireReviewingOfficerAsync(context), context.CancellationToken);

    public override async Task<MaterialSettings> GetMaterialSettings(GetMaterialSettingsRequest request, ServerCallContext context) =>
        await materialSettings.GetAsync(request, await Permits.Shared.Steps.Officer.FromAsync(context), context.CancellationToken);

    public override async Task<MaterialSettings> UpdateMaterialSettings(UpdateMaterialSettingsRequest request, ServerCallContext context) =>
        await materialSettings.UpdateAsync(request, await Permits.Shared.Steps.Officer.FromAsync(context), context.CancellationToken);

    public override async Task<FieldSettings> GetFieldSettings(GetFieldSettingsRequest request, ServerCallContext context) =>
        await fieldSettings.GetAsync(request, await Permits.Shared.Steps.Officer.FromAsync(context), context.CancellationToken);

    public override async Task<FieldSettings> UpdateFieldSettings(UpdateFieldSettingsRequest request, ServerCallContext context) =>
        await fieldSettings.UpdateAsync(request, await Permits.Shared.Steps.Officer.FromAsync(context), context.CancellationToken);

    /// <summary>A use case acting for the signed-in applicant, given their subject (UNAUTHENTICATED/PERMISSION_DENIED otherwise).</summary>
    private static async Task<T> ForApplicant<T>(ServerCallContext context, Func<string, CancellationToken, Task<T>> action) =>
        await action(await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);
}
