using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Intake.Features;
using Permits.Intake.Security;

namespace Permits.Intake.Grpc;

/// <summary>
/// Thin gRPC face. GetApplication is the public status by number and 查询码 (no free text, no personal data); everything else acts for the
/// signed-in applicant (bearer token, audience permits-intake, role applicant) on their own applications only, but
/// the case materials calls, which serve the reviewing officers of the application's county.
/// </summary>
public sealed class ApplicationsService(
    SubmitApplication submit,
    GetApplication get,
    Drafts drafts,
    MyApplications mine,
    CaseActions actions,
    Materials materials,
    MaterialRequirements requirements,
    FormRequirements fields,
    Permits.Shared.Domain.CountyDirectory counties,
    ApplicantAccess access) : Applications.ApplicationsBase
{
    public override async Task<SubmitApplicationResponse> Submit(SubmitApplicationRequest request, ServerCallContext context) =>
        await submit.HandleAsync(request, await access.SubmitterAsync(context), context.RequestHeaders.GetValue("authorization"), context.CancellationToken);

    public override Task<PublicApplication> GetApplication(GetApplicationRequest request, ServerCallContext context) =>
        get.PublicAsync(request, context, context.CancellationToken);

    public override async Task<Application> GetMyApplication(GetApplicationRequest request, ServerCallContext context) =>
        await get.HandleAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<Draft> SaveDraft(SaveDraftRequest request, ServerCallContext context) =>
        await drafts.SaveAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<Draft> GetDraft(GetDraftRequest request, ServerCallContext context) =>
        await drafts.GetAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<DeleteDraftResponse> DeleteDraft(DeleteDraftRequest request, ServerCallContext context) =>
        await drafts.DeleteAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<ListMyApplicationsResponse> ListMyApplications(ListMyApplicationsRequest request, ServerCallContext context) =>
        await mine.HandleAsync(await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<Application> Withdraw(WithdrawApplicationRequest request, ServerCallContext context) =>
        await actions.WithdrawAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<Application> Resubmit(ResubmitApplicationRequest request, ServerCallContext context) =>
        await actions.ResubmitAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<Application> Rate(RateServiceRequest request, ServerCallContext context) =>
        await actions.RateAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<Material> UploadMaterial(UploadMaterialRequest request, ServerCallContext context) =>
        await materials.UploadAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override async Task<MaterialContent> DownloadMaterial(DownloadMaterialRequest request, ServerCallContext context) =>
        await materials.DownloadAsync(request, await ApplicantAccess.RequireApplicantAsync(context), context.CancellationToken);

    public override Task<Requirements> GetRequirements(GetRequirementsRequest request, ServerCallContext context)
    {
        var reply = new Requirements { RenewalMinDaysBeforeExpiry = submit.RenewalMinDays };
        if (request.RequestType != RequestType.Unspecified && System.Enum.IsDefined(request.RequestType))
        {
            reply.Materials.AddRange(requirements.Materials(request.CountyCode.Trim(), RequestTypes.Name(request.RequestType)));
        }

        return Task.FromResult(reply);
    }

    public override Task<FormSpec> GetFormSpec(GetFormSpecRequest request, ServerCallContext context)
    {
        var errors = new Permits.Shared.Domain.FieldErrors();
        var county = request.CountyCode.Trim();
        if (county.Length > 0 && !counties.TryGet(county, out _))
        {
            errors.Add("county_code", "不是本系统服务的县级行政区划代码");
        }

        if (request.RequestType == RequestType.Unspecified || !System.Enum.IsDefined(request.RequestType))
        {
            errors.Add("request_type", "请选择申请类型（新办、变更、延续等）");
        }

        errors.ThrowIfAny();
        var type = RequestTypes.Name(request.RequestType);
        var spec = fields.For(county, type);
        var reply = new FormSpec
        {
            CountyCode = county,
            RequestType = request.RequestType,
            RenewalMinDaysBeforeExpiry = submit.RenewalMinDays,
            SuspendMinDaysBeforeStart = submit.SuspendMinDaysBeforeStart,
            SuspendMaxDays = submit.SuspendMaxDays,
        };
        reply.Fields.AddRange(FormRequirements.Fields.Select(f => new FormField { Field = f.Field, Label = f.Label, Requirement = spec[f.Field] }));
        reply.Materials.AddRange(requirements.Materials(county, type));
        return Task.FromResult(reply);
    }

    public override async Task<ListCaseMaterialsResponse> ListCaseMaterials(ListCaseMaterialsRequest request, ServerCallContext context) =>
        await materials.ListForOfficerAsync(request, await ApplicantAccess.RequireReviewingOfficerAsync(context), context.CancellationToken);

    public override async Task<MaterialContent> DownloadCaseMaterial(DownloadMaterialRequest request, ServerCallContext context) =>
        await materials.DownloadForOfficerAsync(request, await ApplicantAccess.RequireReviewingOfficerAsync(context), context.CancellationToken);
}
