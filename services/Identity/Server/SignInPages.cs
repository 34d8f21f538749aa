using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Permits.Identity.Features;
using Permits.Shared.Data;
using Permits.Shared.Hosting;
using Permits.Shared.Security;

namespace Permits.Identity.Server;

/// <summary>
/// The two sign-in pages (zh-CN, server-rendered, no JavaScript, readable on a 360-px phone): shopkeepers by mobile
/// number and SMS code, officers by username and password. Plain HTML from endpoints rather than Razor Pages, so the
/// Identity module adds no pages that could clash with the Portal's when both run in one host.
/// </summary>
public static partial class SignInPages
{
    public const string SmsPath = "/account/sms";
    public const string OfficerPath = "/account/officer";

    public static void MapSignInPages(this WebApplication app)
    {
        app.MapGet(SmsPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, SmsPage(Local(returnUrl), phone: null, codeSent: false, error: null, notice: null)));
        app.MapPost(SmsPath, SmsAsync);
        app.MapGet(OfficerPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, OfficerPage(Local(returnUrl), username: null, error: null)));
        app.MapPost(OfficerPath, OfficerAsync);
    }

    /// <summary>
    /// What a sign-in page says while the database cannot be reached for a moment (restarting, failing over): 503, the
    /// person's entries kept, nothing done, try again; not a 500 that reads as a fault of theirs or ours for good.
    /// </summary>
    public const string TryAgain = "服务暂时不可用，本次操作未完成，请稍后重试。";

    private static async Task<IResult> SmsAsync(
        HttpContext context, IAntiforgery antiforgery, OneTimeCodes codes, Applicants applicants, Sessions sessions, ILoggerFactory loggers)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest("页面已过期，请返回重新打开登录页。");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = Local(form["returnUrl"]);
        var phone = form["phone"].ToString().Trim();
        try
        {
            return await SendOrVerifyAsync(context, antiforgery, codes, applicants, sessions, form, returnUrl, phone);
        }
        catch (Exception ex) when (GrpcErrorInterceptor.IsTransient(ex))
        {
            LogUnavailable(loggers.CreateLogger(typeof(SignInPages)), "SMS sign-in", ex.Message);
            DatabasePools.ClearAll();
            return Page(context, antiforgery, SmsPage(returnUrl, phone, codeSent: form["action"] != "send", TryAgain, null), 503);
        }
    }

    private static async Task<IResult> SendOrVerifyAsync(
        HttpContext context, IAntiforgery antiforgery, OneTimeCodes codes, Applicants applicants, Sessions sessions,
        IFormCollection form, string returnUrl, string phone)
    {
        var cancellationToken = context.RequestAborted;
        if (form["action"] == "send")
        {
            var sent = await codes.SendAsync(phone, ClientAddress(context), cancellationToken);
            return Page(context, antiforgery, SmsPage(returnUrl, phone, codeSent: sent.Succeeded, sent.Error,
                sent.Succeeded ? $"验证码已发送至手机尾号 {phone[^4..]}，5 分钟内有效。" : null), sent.Succeeded ? 200 : 400);
        }

        // The code is used up, the subject found (or made) and the session opened in one transaction.
        string? subject = null, sessionId = null;
        var verified = await codes.VerifyAsync(phone, form["code"], async session =>
        {
            subject = await applicants.SubjectForAsync(session, phone);
            sessionId = await sessions.OpenAsync(session, subject);
        }, cancellationToken);
        if (!verified.Succeeded)
        {
            return Page(context, antiforgery, SmsPage(returnUrl, phone, codeSent: true, verified.Error, null), 400);
        }

        await SignInAsync(context, IdentityPrincipals.Applicant(subject!, phone, IdentityPrincipals.SessionScheme), sessionId!);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> OfficerAsync(
        HttpContext context, IAntiforgery antiforgery, OfficerSignIns officers, Sessions sessions, ILoggerFactory loggers)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest("页面已过期，请返回重新打开登录页。");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = Local(form["returnUrl"]);
        var username = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        if (username.Length == 0 || password.Length == 0)
        {
            return Page(context, antiforgery, OfficerPage(returnUrl, username, "请输入用户名和密码。"), 400);
        }

        try
        {
            return await OfficerSignInAsync(context, antiforgery, officers, sessions, form, returnUrl, username, password);
        }
        catch (Exception ex) when (GrpcErrorInterceptor.IsTransient(ex))
        {
            LogUnavailable(loggers.CreateLogger(typeof(SignInPages)), "officer sign-in", ex.Message);
            DatabasePools.ClearAll();
            return Page(context, antiforgery, OfficerPage(returnUrl, username, TryAgain), 503);
        }
    }

    private static async Task<IResult> OfficerSignInAsync(
        HttpContext context, IAntiforgery antiforgery, OfficerSignIns officers, Sessions sessions,
        IFormCollection form, string returnUrl, string username, string password)
    {
        // The second form (after a temporary password) sends the new password with the temporary one.
        var changing = form.ContainsKey("new_password");
        var signIn = await officers.SignInAsync(username, password, ClientAddress(context), context.RequestAborted,
            changing ? form["new_password"].ToString() : null, changing ? form["confirm_password"].ToString() : null);
        if (signIn.Officer is not { } officer)
        {
            return Page(context, antiforgery, signIn.MustChangePassword
                ? NewPasswordPage(returnUrl, username, changing ? signIn.Error : null)
                : OfficerPage(returnUrl, username, signIn.Error), 400);
        }

        var sessionId = await sessions.OpenAsync(officer.Subject, context.RequestAborted);
        await SignInAsync(context, IdentityPrincipals.Officer(officer, IdentityPrincipals.SessionScheme), sessionId);
        return Results.Redirect(returnUrl);
    }

    /// <summary>The cookie of a new session, recorded so that signing out ends it on every replica (see <see cref="Sessions"/>).</summary>
    private static Task SignInAsync(HttpContext context, ClaimsIdentity identity, string sessionId)
    {
        identity.AddClaim(new Claim(Sessions.Claim, sessionId));
        return context.SignInAsync(IdentityPrincipals.SessionScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The client's address as Identity sees it (forwarded by the ingress in the cluster), for the limits.</summary>
    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    private static string Local(string? returnUrl) => LocalUrl.OrHome(returnUrl);

    [LoggerMessage(LogLevel.Warning, "The {Page} page answered 503: the database cannot be reached for the moment ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string page, string reason);

    // Inline, so the page needs no second request; the policy allows exactly this style sheet by its hash.
    private const string Style = """
        body{margin:0;font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f4f5f7}
        header{background:#9b1c1c;color:#fff;padding:.75rem 1rem;font-weight:600}
        main{max-width:26rem;margin:1.5rem auto;padding:1.25rem;background:#fff;border-radius:.5rem}
        h1{font-size:1.35rem;margin:0 0 1rem}
        label{display:block;font-weight:600;margin:.75rem 0 .25rem}
        input[type=text],input[type=tel],input[type=password]{box-sizing:border-box;width:100%;font-size:1.1rem;padding:.6rem;border:2px solid #555;border-radius:.3rem}
        input:focus,button:focus,a:focus{outline:3px solid #1d4ed8;outline-offset:2px}
        button{margin-top:1rem;width:100%;font-size:1.1rem;padding:.7rem;border:0;border-radius:.3rem;background:#9b1c1c;color:#fff;cursor:pointer}
        button.secondary{background:#fff;color:#9b1c1c;border:2px solid #9b1c1c}
        .hint{color:#444;font-size:.95rem;margin:.25rem 0 0}
        .error{border-left:4px solid #b91c1c;background:#fef2f2;padding:.6rem .8rem;margin:0 0 1rem}
        .notice{border-left:4px solid #15803d;background:#f0fdf4;padding:.6rem .8rem;margin:0 0 1rem}
        .switch{margin-top:1.5rem;font-size:.95rem}
        a{color:#1d4ed8}
        """;

    /// <summary>Nothing but this page's own style; no script; never framed.</summary>
    private static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Chinese left as it is, markup escaped; made once (building its allowed ranges is not free).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private delegate void Body(StringBuilder html, Func<string, string> encode, string antiforgeryField);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, (string Title, Body Body) page, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        var encode = Encoder;
        var field = $"<input type=\"hidden\" name=\"{encode.Encode(tokens.FormFieldName)}\" value=\"{encode.Encode(tokens.RequestToken ?? "")}\">";
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{encode.Encode(page.Title)}} - 烟草专卖零售许可证网上办理</title>
            <style>{{Style}}</style>
            </head>
            <body>
            <header>烟草专卖零售许可证网上办理 · 统一身份认证</header>
            <main id="main">
            <h1>{{encode.Encode(page.Title)}}</h1>
            """);
        page.Body(html, s => encode.Encode(s), field);
        html.Append("</main>\n</body>\n</html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static (string, Body) SmsPage(string returnUrl, string? phone, bool codeSent, string? error, string? notice) =>
        ("手机号登录", (html, e, antiforgery) =>
        {
            Messages(html, e, error, notice);
            html.Append($"""
                <form method="post" action="{SmsPath}">
                {antiforgery}
                <input type="hidden" name="returnUrl" value="{e(returnUrl)}">
                <label for="phone">手机号码</label>
                <input type="tel" id="phone" name="phone" value="{e(phone ?? "")}" autocomplete="tel" inputmode="numeric" maxlength="11" required aria-describedby="phone-hint"{(codeSent ? "" : " autofocus")}>
                <p class="hint" id="phone-hint">我们将向该号码发送 6 位短信验证码。</p>
                <button type="submit" name="action" value="send"{(codeSent ? " class=\"secondary\"" : "")}>{(codeSent ? "重新获取验证码" : "获取验证码")}</button>
                </form>
                """);
            if (codeSent)
            {
                html.Append($"""
                    <form method="post" action="{SmsPath}">
                    {antiforgery}
                    <input type="hidden" name="returnUrl" value="{e(returnUrl)}">
                    <input type="hidden" name="phone" value="{e(phone ?? "")}">
                    <label for="code">短信验证码</label>
                    <input type="text" id="code" name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{"{6}"}" maxlength="6" required autofocus aria-describedby="code-hint">
                    <p class="hint" id="code-hint">6 位数字，5 分钟内有效；输错 5 次需重新获取。</p>
                    <button type="submit" name="action" value="verify">登录</button>
                    </form>
                    """);
            }

            html.Append($"""<p class="switch">县局工作人员请 <a href="{OfficerPath}?returnUrl={e(Uri.EscapeDataString(returnUrl))}">使用工作账号登录</a>。</p>""");
        });

    /// <summary>退出登录 asked for by a link: confirm with a form (antiforgery), carrying the request's parameters along.</summary>
    public static IResult ConfirmSignOut(HttpContext context, IAntiforgery antiforgery, IEnumerable<KeyValuePair<string, string>> parameters) =>
        Page(context, antiforgery, ("退出登录", (html, e, field) =>
        {
            html.Append($"<p>确定要退出统一身份认证的登录吗？</p>\n<form method=\"post\" action=\"{ConnectEndpoints.EndSession}\">\n{field}\n");
            foreach (var (name, value) in parameters)
            {
                html.Append($"<input type=\"hidden\" name=\"{e(name)}\" value=\"{e(value)}\">\n");
            }

            html.Append("<button type=\"submit\">退出登录</button>\n</form>\n<p class=\"switch\"><a href=\"/\">不退出，返回首页</a></p>\n");
        }));

    private static (string, Body) OfficerPage(string returnUrl, string? username, string? error) =>
        ("工作人员登录", (html, e, antiforgery) =>
        {
            Messages(html, e, error, null);
            html.Append($"""
                <form method="post" action="{OfficerPath}">
                {antiforgery}
                <input type="hidden" name="returnUrl" value="{e(returnUrl)}">
                <label for="username">用户名</label>
                <input type="text" id="username" name="username" value="{e(username ?? "")}" autocomplete="username" autocapitalize="none" required autofocus>
                <label for="password">密码</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required>
                <button type="submit">登录</button>
                </form>
                <p class="switch">商户（申请人）请 <a href="{SmsPath}?returnUrl={e(Uri.EscapeDataString(returnUrl))}">使用手机号登录</a>。</p>
                """);
        });

    /// <summary>
    /// First sign-in with a temporary password (new account, reset by the 系统管理员): the officer types it again with
    /// the new password, so the temporary one never travels back in the page.
    /// </summary>
    private static (string, Body) NewPasswordPage(string returnUrl, string username, string? error) =>
        ("设置新密码", (html, e, antiforgery) =>
        {
            Messages(html, e, error, error is null ? "您正在使用系统管理员设置的临时密码，请先设置自己的新密码。" : null);
            html.Append($"""
                <form method="post" action="{OfficerPath}">
                {antiforgery}
                <input type="hidden" name="returnUrl" value="{e(returnUrl)}">
                <label for="username">用户名</label>
                <input type="text" id="username" name="username" value="{e(username)}" autocomplete="username" autocapitalize="none" required>
                <label for="password">临时密码</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
                <label for="new_password">新密码</label>
                <input type="password" id="new_password" name="new_password" autocomplete="new-password" required aria-describedby="new-password-hint">
                <p class="hint" id="new-password-hint">至少 10 位，须同时包含字母和数字，不能与临时密码相同。</p>
                <label for="confirm_password">再次输入新密码</label>
                <input type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required>
                <button type="submit">设置新密码并登录</button>
                </form>
                """);
        });

    private static void Messages(StringBuilder html, Func<string, string> e, string? error, string? notice)
    {
        if (error is not null)
        {
            html.Append($"<div class=\"error\" role=\"alert\"><p>{e(error)}</p></div>\n");
        }

        if (notice is not null)
        {
            html.Append($"<div class=\"notice\" role=\"status\"><p>{e(notice)}</p></div>\n");
        }
    }
}
