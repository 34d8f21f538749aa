using System.Text.RegularExpressions;
using Google.Rpc;
using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// Turns Review's refusals into the sentence the officer reads, in Chinese only: a status's own detail when Review
/// worded it for the officer (with any code in brackets, such as “（Approve）”, left out), otherwise a sentence for the
/// status. Unexpected failures are logged.
/// </summary>
public static partial class OfficerErrors
{
    public static string Explain(RpcException ex, ILogger logger)
    {
        switch (ex.StatusCode)
        {
            case GrpcCode.Unauthenticated:
                return "未能办理：登录已失效，请退出后重新登录。";
            case GrpcCode.InvalidArgument:
                var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
                return "未能办理：" + (violations is { Count: > 0 }
                    ? string.Join("；", violations.Select(v => InWords(v.Description, GrpcCode.InvalidArgument)))
                    : InWords(ex.Status.Detail, GrpcCode.InvalidArgument));
            case GrpcCode.FailedPrecondition or GrpcCode.NotFound or GrpcCode.AlreadyExists or GrpcCode.Aborted
                or GrpcCode.PermissionDenied or GrpcCode.OutOfRange or GrpcCode.ResourceExhausted:
                // Review words these for the officer (e.g. “案件当前环节为……，不能受理”).
                return "未能办理：" + InWords(ex.Status.Detail, ex.StatusCode);
            case GrpcCode.Unavailable or GrpcCode.DeadlineExceeded:
                LogActionFailed(logger, ex, ex.StatusCode);
                return "未能办理：审查系统暂时无法响应，请稍后重试。";
            default:
                LogActionFailed(logger, ex, ex.StatusCode);
                return "未能办理：系统出了点问题，请稍后重试。";
        }
    }

    /// <summary>
    /// A service's reason as the officer reads it: bracketed codes dropped; a reason that is not Chinese (or still
    /// carries an English word) replaced by the sentence for <paramref name="status"/>.
    /// </summary>
    public static string InWords(string? detail, GrpcCode status = GrpcCode.FailedPrecondition)
    {
        var text = BracketedCode().Replace(detail ?? "", "").Trim().TrimEnd('。', '.');
        return text.Length > 0 && Chinese().IsMatch(text) && !EnglishWord().IsMatch(text) ? text : Sentence(status);
    }

    private static string Sentence(GrpcCode status) => status switch
    {
        GrpcCode.NotFound => "没有找到这件案件，或它不属于本县（市、区）",
        GrpcCode.PermissionDenied => "您的岗位不能办理这一步",
        GrpcCode.AlreadyExists or GrpcCode.Aborted => "案件刚被他人办理或领取，请刷新后再看",
        GrpcCode.InvalidArgument => "填写的内容有误，请检查后重试",
        GrpcCode.ResourceExhausted => "操作太频繁，请稍后重试",
        _ => "案件当前不能办理这一步，请刷新后查看案件状态",
    };

    [GeneratedRegex(@"[（(]\s*[A-Za-z][A-Za-z_\- /]*\s*[)）]")]
    private static partial Regex BracketedCode();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    // A word with lower-case letters (Approve, UnderReview, disclosure); capitals such as PDF are names, not English.
    [GeneratedRegex(@"[A-Za-z]*[a-z]{2,}[A-Za-z]*")]
    private static partial Regex EnglishWord();

    [LoggerMessage(LogLevel.Warning, "An officer action failed with {StatusCode}")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
