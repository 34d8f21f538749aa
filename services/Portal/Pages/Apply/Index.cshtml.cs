using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Apply;

/// <summary>申请表: one form; Intake checks it and every problem comes back next to its field.</summary>
public sealed partial class IndexModel(
    Applications.ApplicationsClient applications,
    CountyDirectory counties,
    ILogger<IndexModel> logger) : PageModel
{
    /// <summary>The proto fields in form order, with the words the error summary uses for them.</summary>
    public static readonly IReadOnlyList<(string Field, string Label)> Fields =
    [
        ("county_code", "所在县（市、区）"),
        ("request_type", "申请类型"),
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
    ];

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

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Form.ClientRequestId))
        {
            Form.ClientRequestId = Guid.NewGuid().ToString("N");
        }

        try
        {
            var reply = await applications.SubmitAsync(Form.ToRequest(), cancellationToken: cancellationToken);
            TempData[Banner.Success] = $"申请已提交，申请编号：{reply.ApplicationNumber}。请记下编号，凭编号随时查询办理进度。";
            return RedirectToPage("/Track/Progress", new { number = reply.ApplicationNumber });
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex);
            return Page();
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
            return Page();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Submitting an application failed with {StatusCode}")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
