using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Permits.Portal.Web;

/// <summary>A page that says, in plain Chinese, what went wrong and what to do next; never internals.</summary>
public sealed record PortalProblem(int StatusCode, string Title, string Message)
{
    public static readonly PortalProblem Unavailable = new(
        StatusCodes.Status503ServiceUnavailable,
        "服务暂时不可用",
        "办理系统暂时无法响应，请稍后刷新页面重试。");

    public static readonly PortalProblem Unexpected = new(
        StatusCodes.Status500InternalServerError,
        "系统出了点问题",
        "请稍后重试。如果问题持续存在，可拨打所在县（市、区）烟草专卖局的咨询电话，或到政务服务中心烟草窗口办理。");

    public static readonly PortalProblem NotFound = new(
        StatusCodes.Status404NotFound,
        "没有找到您要的内容",
        "请检查网址或编号是否输入正确。");

    public static readonly PortalProblem FormExpired = new(
        StatusCodes.Status400BadRequest,
        "页面已过期",
        "为保护您的信息，表单在一段时间后会失效。请返回上一页，刷新后重新提交；已填写的内容可能需要重新填写。");

    public IActionResult ToResult(IModelMetadataProvider metadata, ModelStateDictionary modelState) => new ViewResult
    {
        ViewName = "/Pages/Shared/_Problem.cshtml",
        StatusCode = StatusCode,
        ViewData = new ViewDataDictionary<PortalProblem>(metadata, modelState) { Model = this },
    };
}
