using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Pages.My;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Apply;

/// <summary>
/// 申请表: one form; Intake checks it and every problem comes back next to its field. The signed-in shopkeeper may
/// save it as a draft (<c>?draft=</c> brings it back) or, answering a correction notice, resubmit it
/// (<c>?resubmit=</c> the application id: the form comes back filled, with the items to fix listed above it).
/// It shows the fields the chosen request type asks for in the chosen county, marked 必填/选填 (Intake's GetFormSpec,
/// the spec Submit checks against); without JavaScript, “按所选事项显示表单” posts the form back to redraw it, and the
/// values of fields that drop out travel on hidden, so nothing typed is lost. <c>?county=&amp;type=</c> preselect.
/// </summary>
[RequestSizeLimit(4 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 4 * 1024 * 1024)]
public sealed partial class IndexModel(
    Applications.ApplicationsClient applications,
    CountyDirectory counties,
    IConfiguration configuration,
    ILogger<IndexModel> logger) : ApplicantPage(configuration)
{
    /// <summary>The proto fields in form order, with the words the error summary uses for them.</summary>
    public static readonly IReadOnlyList<(string Field, string Label)> Fields =
    [
        ("county_code", "所在县（市、区）"),
        ("request_type", "申请类型"),
        ("licence_number", "现持有许可证号"),
        ("licence_valid_to", "许可证有效期截止日"),
        ("suspend_from", "停业起始日"),
        ("suspend_until", "停业截止日"),
        ("change_items", "变更事项"),
        ("holder_type", "主体类型"),
        ("business_name", "企业名称（字号）"),
        ("credit_code", "统一社会信用代码"),
        ("responsible_person", "负责人（经营者）姓名"),
        ("id_number", "负责人居民身份证号码"),
        ("premises_address", "经营场所地址"),
        ("floor_area", "经营面积"),
        ("premises_tenure", "场所性质"),
        ("lease_end_date", "租赁到期日"),
        ("contact_phone", "联系电话"),
        ("delivery.method", "领取方式"),
        ("delivery.recipient_name", "收件人（领取人）姓名"),
        ("delivery.recipient_phone", "收件人电话"),
        ("delivery.address", "收件地址"),
        ("materials", "申请材料"),
        ("kind", "材料类别"),
        ("content", "材料文件"),
    ];

    /// <summary>What a 变更 may change (ChangeItem names).</summary>
    public static readonly IReadOnlyList<Option> ChangeItemOptions =
    [
        new(nameof(ChangeItem.BusinessName), "企业名称（字号）"),
        new(nameof(ChangeItem.ResponsiblePerson), "负责人（经营者）"),
        new(nameof(ChangeItem.PremisesAddressName), "经营场所地址名称（门牌、路名变更，场所未迁移）"),
        new(nameof(ChangeItem.Other), "其他登记事项"),
    ];

    /// <summary>The kinds of material the form asks for, with what each is.</summary>
    public static readonly IReadOnlyList<Option> MaterialKinds =
    [
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.IdCard), "负责人身份证（正反面）"),
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.BusinessLicence), "营业执照"),
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.PremisesProof), "场所产权证明或租赁合同"),
        new(nameof(Permits.Contracts.Intake.V1.MaterialKind.PremisesPhoto), "经营场所照片（门头、内部）"),
    ];

    public static string MaterialLabel(Permits.Contracts.Intake.V1.MaterialKind kind) =>
        MaterialKinds.FirstOrDefault(k => k.Value == kind.ToString())?.Label ?? kind.ToString();

    /// <summary>The draft's materials so far.</summary>
    public IReadOnlyList<Material> Materials { get; private set; } = [];

    [BindProperty]
    public string? MaterialKind { get; set; }

    [BindProperty]
    public IFormFile? MaterialFile { get; set; }

    [BindProperty]
    public ApplicationForm Form { get; set; } = ApplicationForm.Blank();

    public FormErrors Errors { get; private set; } = FormErrors.None;

    /// <summary>Set when Intake could not be reached or failed; the form keeps every value so the applicant can resubmit.</summary>
    public string? ServiceProblem { get; private set; }

    public IReadOnlyList<Option> Counties =>
        counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    /// <summary>The summary, in form order: fields the form shows link to them; anything else is listed as text.</summary>
    public IEnumerable<(string? Anchor, string Message)> Summary
    {
        get
        {
            var order = Fields.Select(f => f.Field).ToList();
            return Errors.Items
                .OrderBy(e => order.IndexOf(e.Field) is var i and >= 0 ? i : int.MaxValue)
                .Select(e => (order.Contains(e.Field) ? "#" + FormErrors.ElementId(e.Field) : null, e.Message));
        }
    }

    public static string Label(string field) => Fields.First(f => f.Field == field).Label;

    /// <summary>The items of the correction notice being answered (补正), shown above the form.</summary>
    public IReadOnlyList<CorrectionItem> Corrections { get; private set; } = [];

    public string? CorrectionDocumentNumber { get; private set; }

    public bool IsResubmission => !string.IsNullOrEmpty(Form.ResubmitId);

    /// <summary>
    /// The form of the chosen request type in the chosen county, from Intake (which checks against the same spec);
    /// null when Intake could not say, and then every field shows.
    /// </summary>
    public FormSpec? Spec { get; private set; }

    /// <summary>How the form asks for a field (delivery.* follow "delivery"); Unspecified when not known.</summary>
    public FieldRequirement Requirement(string field)
    {
        var name = field.StartsWith("delivery.", StringComparison.Ordinal) ? "delivery" : field;
        return Spec?.Fields.FirstOrDefault(f => f.Field == name)?.Requirement ?? FieldRequirement.Unspecified;
    }

    public bool Asks(string field) => Requirement(field) != FieldRequirement.NotAsked;

    /// <summary>The field's label marked 必填 or 选填 as the county's form asks for it.</summary>
    public string Marked(string field, string? label = null)
    {
        label ??= Label(field);
        return (field, Requirement(field)) switch
        {
            ("lease_end_date", FieldRequirement.Required) => label + "（租赁的必填）",
            ("credit_code", FieldRequirement.Optional) => label + "（企业必填）",
            ("delivery.address", _) => label + "（快递到家必填）",
            (_, FieldRequirement.Required) => label + "（必填）",
            (_, FieldRequirement.Optional) => label + "（选填）",
            _ => label,
        };
    }

    /// <summary>The materials the chosen type needs in the chosen county, in the applicant's words.</summary>
    public IReadOnlyList<string> NeededMaterials =>
        Spec is null ? MaterialKinds.Select(k => k.Label).ToList() : Spec.Materials.Select(MaterialLabel).ToList();

    /// <summary>The chosen request type's Chinese name.</summary>
    public string RequestTypeLabel => Labels.RequestTypes.FirstOrDefault(o => o.Value == Form.RequestType)?.Label ?? "";

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (IsResubmission && Corrections.Count == 0)
        {
            await LoadResubmissionAsync(cancellationToken);
        }

        var type = Enum.TryParse<RequestType>(Form.RequestType, out var parsed) && Enum.IsDefined(parsed) && parsed != RequestType.Unspecified
            ? parsed
            : RequestType.New;
        var county = counties.TryGet(Form.CountyCode ?? "", out _) ? Form.CountyCode! : "";
        try
        {
            Spec = await applications.GetFormSpecAsync(
                new GetFormSpecRequest { CountyCode = county, RequestType = type }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSpecFailed(logger, ex, ex.StatusCode);
            Spec = null;
        }

        return Page();
    }

    /// <summary>按所选事项显示表单: the same form again, with the fields the chosen type and county ask for; nothing saved, nothing lost.</summary>
    public async Task<IActionResult> OnPostMatterAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        await LoadMaterialsAsync(cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnGetAsync(string? draft, string? resubmit, string? county, string? type, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        if (county is not null && counties.TryGet(county, out _))
        {
            Form.CountyCode = county;
        }

        if (type is not null && Labels.RequestTypes.Any(o => o.Value == type))
        {
            Form.RequestType = type;
        }

        try
        {
            if (!string.IsNullOrEmpty(resubmit))
            {
                var application = await applications.GetMyApplicationAsync(
                    new GetApplicationRequest { ApplicationId = resubmit }, await HeadersAsync(), cancellationToken: cancellationToken);
                Form = ApplicationForm.From(application.Form ?? new SubmitApplicationRequest());
                Form.ResubmitId = application.ApplicationId;
                Corrections = application.Corrections.ToList();
                CorrectionDocumentNumber = application.CorrectionDocumentNumber;
                Materials = application.Materials.ToList();
            }
            else if (!string.IsNullOrEmpty(draft))
            {
                var saved = await applications.GetDraftAsync(
                    new GetDraftRequest { DraftId = draft }, await HeadersAsync(), cancellationToken: cancellationToken);
                Form = ApplicationForm.From(saved.Form);
                Form.DraftId = saved.DraftId;
                Materials = saved.Materials.ToList();
            }
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.PermissionDenied)
        {
            TempData[Banner.Alert] = "没有找到该草稿或申请，请从“我的办件”重新进入。";
            return Redirect("/my");
        }

        return await ShowAsync(cancellationToken);
    }

    /// <summary>保存草稿: nothing is checked; every value is kept as typed.</summary>
    public async Task<IActionResult> OnPostDraftAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            var saved = await applications.SaveDraftAsync(
                new SaveDraftRequest { DraftId = Form.DraftId ?? "", Form = Form.ToRequest() }, await HeadersAsync(),
                cancellationToken: cancellationToken);
            TempData[Banner.Success] = "草稿已保存。可随时在“我的办件”中继续填写。";
            return Redirect("/apply?draft=" + Uri.EscapeDataString(saved.DraftId));
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex, under: "form.");
            return await ShowAsync(cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSubmitFailed(logger, ex, ex.StatusCode);
            ServiceProblem = "草稿未能保存：系统暂时无法响应。您填写的内容仍在本页，请稍后再试。";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return await ShowAsync(cancellationToken);
        }
    }

    /// <summary>
    /// 上传材料: saves the whole form as a draft first (nothing typed is lost), then attaches the chosen file to it.
    /// Intake checks the type by content and the size; its message comes back next to the file box.
    /// </summary>
    public async Task<IActionResult> OnPostUploadAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            var headers = await HeadersAsync();
            if (IsResubmission)
            {
                // 补正: the new file goes to the application itself; the form stays as typed on this page.
                if (await CheckFileAsync(cancellationToken) is { } content)
                {
                    await applications.UploadMaterialAsync(new UploadMaterialRequest
                    {
                        ApplicationId = Form.ResubmitId,
                        Kind = Enum.TryParse<Permits.Contracts.Intake.V1.MaterialKind>(MaterialKind, out var correctedKind) ? correctedKind : Permits.Contracts.Intake.V1.MaterialKind.Unspecified,
                        FileName = MaterialFile!.FileName,
                        Content = content,
                    }, headers, cancellationToken: cancellationToken);
                    Notice = $"材料“{MaterialFile.FileName}”已上传。改完其余各项后，请点“提交补正”。";
                }

                return await ShowAsync(cancellationToken);
            }

            var saved = await applications.SaveDraftAsync(
                new SaveDraftRequest { DraftId = Form.DraftId ?? "", Form = Form.ToRequest() }, headers, cancellationToken: cancellationToken);
            Form.DraftId = saved.DraftId;
            if (await CheckFileAsync(cancellationToken) is { } file)
            {
                await applications.UploadMaterialAsync(new UploadMaterialRequest
                {
                    DraftId = saved.DraftId,
                    Kind = Enum.TryParse<Permits.Contracts.Intake.V1.MaterialKind>(MaterialKind, out var kind) ? kind : Permits.Contracts.Intake.V1.MaterialKind.Unspecified,
                    FileName = MaterialFile!.FileName,
                    Content = file,
                }, headers, cancellationToken: cancellationToken);
                TempData[Banner.Success] = "材料已上传，草稿已保存。";
                return Redirect("/apply?draft=" + Uri.EscapeDataString(saved.DraftId) + "#materials");
            }
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex, under: "form.");
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.FailedPrecondition or GrpcCode.NotFound)
        {
            ServiceProblem = ex.Status.Detail;
        }

        await LoadMaterialsAsync(cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    /// <summary>Set after a correction's file was uploaded (the page is shown again, not redirected, to keep the form as typed).</summary>
    public string? Notice { get; private set; }

    /// <summary>The chosen file's bytes, or null with the reason next to the file box.</summary>
    private async Task<Google.Protobuf.ByteString?> CheckFileAsync(CancellationToken cancellationToken)
    {
        if (MaterialFile is null || MaterialFile.Length == 0)
        {
            Errors = One("content", "请选择要上传的文件");
            return null;
        }

        if (MaterialFile.Length > MaxUploadBytes)
        {
            Errors = One("content", "文件太大：每个文件不超过 3 MB，请压缩或拍得小一些");
            return null;
        }

        using var buffer = new MemoryStream();
        await MaterialFile.CopyToAsync(buffer, cancellationToken);
        return Google.Protobuf.ByteString.CopyFrom(buffer.ToArray());
    }

    /// <summary>
    /// A correction's form shown again (after an upload or refused fields): the items to fix, the application's
    /// materials, and its county and type, which a resubmission cannot change (best effort: the form matters more).
    /// </summary>
    private async Task LoadResubmissionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var application = await applications.GetMyApplicationAsync(
                new GetApplicationRequest { ApplicationId = Form.ResubmitId }, await HeadersAsync(), cancellationToken: cancellationToken);
            Corrections = application.Corrections.ToList();
            CorrectionDocumentNumber = application.CorrectionDocumentNumber;
            Materials = application.Materials.ToList();
            Form.CountyCode = application.CountyCode;
            Form.RequestType = application.RequestType.ToString();
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            Corrections = [];
        }
    }

    /// <summary>The draft's materials, for a form shown again with errors (best effort: the form matters more).</summary>
    private async Task LoadMaterialsAsync(CancellationToken cancellationToken)
    {
        if (Form.DraftId is not { Length: > 0 } draftId)
        {
            return;
        }

        try
        {
            Materials = (await applications.GetDraftAsync(new GetDraftRequest { DraftId = draftId }, await HeadersAsync(),
                cancellationToken: cancellationToken)).Materials.ToList();
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            Materials = [];
        }
    }

    private const long MaxUploadBytes = 3 * 1024 * 1024;

    /// <summary>One field's message, in the shape Intake's answers have.</summary>
    private static FormErrors One(string field, string message)
    {
        try
        {
            new FieldErrors().Add(field, message).ThrowIfAny();
        }
        catch (RpcException ex)
        {
            return FormErrors.From(ex);
        }

        return FormErrors.None;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        if (string.IsNullOrWhiteSpace(Form.ClientRequestId))
        {
            Form.ClientRequestId = Guid.NewGuid().ToString("N");
        }

        try
        {
            if (IsResubmission)
            {
                var resubmitted = await applications.ResubmitAsync(
                    new ResubmitApplicationRequest { ApplicationId = Form.ResubmitId, Form = Form.ToRequest() }, await HeadersAsync(),
                    cancellationToken: cancellationToken);
                TempData[Banner.Success] = $"补正材料已提交（申请编号 {resubmitted.ApplicationNumber}），将回到原办理机关继续审查。";
                return Redirect("/my/" + Uri.EscapeDataString(resubmitted.ApplicationId));
            }

            var reply = await applications.SubmitAsync(Form.ToRequest(), await HeadersAsync(), cancellationToken: cancellationToken);
            TempData[Banner.Success] = $"申请已提交，申请编号：{reply.ApplicationNumber}，查询码：{reply.QueryCode}。"
                + "请记下编号和查询码：凭两者（或联系电话后四位）可随时查询办理进度。查询码只显示这一次。";
            TempData[My.ApplicationModel.QueryCodeKey(reply.ApplicationId)] = reply.QueryCode;
            return SignInEnabled
                ? Redirect("/my/" + Uri.EscapeDataString(reply.ApplicationId))
                : RedirectToPage("/Track/Progress", new { number = reply.ApplicationNumber });
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex, under: "form.");
            await LoadMaterialsAsync(cancellationToken);
            return await ShowAsync(cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.FailedPrecondition or GrpcCode.AlreadyExists or GrpcCode.Aborted)
        {
            ServiceProblem = ex.Status.Detail;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return await ShowAsync(cancellationToken);
        }
        catch (RpcException ex) when (IsResubmission && ex.StatusCode is GrpcCode.NotFound or GrpcCode.PermissionDenied)
        {
            // The hidden ResubmitId names no application of this shopkeeper's (tampered, or a stale page).
            ServiceProblem = "未找到要补正的申请：请从“我的办件”中打开该申请，再点“补正”。";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ShowAsync(cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Keep the form: the same client request id makes resubmitting safe even if this one went through.
            LogSubmitFailed(logger, ex, ex.StatusCode);
            ServiceProblem = ex.StatusCode is GrpcCode.Unavailable or GrpcCode.DeadlineExceeded
                ? "提交未成功：办理系统暂时无法响应。您填写的内容已保留，请稍后再点“提交申请”，不会重复提交。"
                : "提交未成功：系统出了点问题。您填写的内容已保留，请稍后再点“提交申请”，不会重复提交。";
            Response.StatusCode = ex.StatusCode is GrpcCode.Unavailable or GrpcCode.DeadlineExceeded
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError;
            return await ShowAsync(cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The form spec could not be read ({StatusCode}); every field is shown")]
    private static partial void LogSpecFailed(ILogger logger, Exception exception, GrpcCode statusCode);

    [LoggerMessage(LogLevel.Warning, "Submitting an application failed with {StatusCode}")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
