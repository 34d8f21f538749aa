using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Web;
using Permits.Shared.Security;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Portal.Pages.Officer.Licences;

/// <summary>
/// One licence for an officer of its county: every field, the version history, the files, and the lifecycle steps the
/// officer's roles allow. Certificate checks the token on every call; the forms shown here are only a convenience.
/// Every step redirects back with a banner; 歇业 and 注销, which cannot be undone, first show what will happen and act
/// only on the second POST (its confirmation token).
/// </summary>
public sealed class DetailModel(
    Certificates.CertificatesClient certificates, IDataProtectionProvider protection, TimeProvider time, ILogger<DetailModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "number")]
    public string Number { get; set; } = "";

    public TimeProvider Time => time;

    public CertificateMessage? Licence { get; private set; }

    public IReadOnlyList<LicenceEvent> History { get; private set; } = [];

    public string? Error { get; private set; }

    public bool CanCounter { get; private set; }

    public bool CanDecide { get; private set; }

    /// <summary>The 歇业 or 注销 waiting for its confirmation (kind Closed or Cancelled, and the reason typed).</summary>
    public (string Kind, string Reason)? PendingRevocation { get; private set; }

    /// <summary>The token of the second step of the pending 歇业 or 注销.</summary>
    public string RevocationToken => PendingRevocation is { } pending ? protection.Mint(RevocationSubject(pending.Kind)) : "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var officer = OfficerIdentity.From(HttpContext);
        CanDecide = officer.HasRole(PermitsRoles.Head);
        CanCounter = CanDecide || officer.HasRole(PermitsRoles.Clerk);
        try
        {
            var call = await OfficerIdentity.CallAsync(HttpContext, cancellationToken);
            Licence = await certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = Number }, call);
            History = (await certificates.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = Number }, call)).Events;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能查看：", StringComparison.Ordinal);
            Response.StatusCode = ex.StatusCode switch
            {
                Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.InvalidArgument => StatusCodes.Status404NotFound,
                Grpc.Core.StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status200OK,
            };
        }

        return Page();
    }

    public Task<IActionResult> OnPostSuspendAsync(string? reason, CancellationToken ct) => ActAsync(
        call => certificates.SuspendCertificateAsync(new SuspendCertificateRequest { LicenceNumber = Number, Reason = reason ?? "" }, call).ResponseAsync,
        l => $"已办理停业：许可证 {l.LicenceNumber} 暂停使用。", ct);

    public Task<IActionResult> OnPostResumeAsync(CancellationToken ct) => ActAsync(
        call => certificates.ResumeCertificateAsync(new ResumeCertificateRequest { LicenceNumber = Number }, call).ResponseAsync,
        l => $"已恢复营业：许可证 {l.LicenceNumber} 有效。", ct);

    public Task<IActionResult> OnPostReissueAsync(string? reason, CancellationToken ct) => ActAsync(
        call => certificates.ReissueCertificateAsync(new ReissueCertificateRequest { LicenceNumber = Number, Reason = reason ?? "" }, call).ResponseAsync,
        l => $"已补办：第 {l.Version} 版的第 {l.Duplicate} 次补办证，原证件作废。", ct);

    public Task<IActionResult> OnPostChangeAsync(string? holderName, string? responsiblePerson, string? premisesAddress, string? reason, CancellationToken ct) => ActAsync(
        call => certificates.ChangeCertificateAsync(new ChangeCertificateRequest
        {
            LicenceNumber = Number,
            HolderName = holderName ?? "",
            ResponsiblePerson = responsiblePerson ?? "",
            PremisesAddress = premisesAddress ?? "",
            Reason = reason ?? "",
        }, call).ResponseAsync,
        l => $"已办理变更：签发第 {l.Version} 版，许可证号不变。", ct);

    public Task<IActionResult> OnPostRenewAsync(string? validTo, CancellationToken ct) => ActAsync(
        call => certificates.RenewCertificateAsync(new RenewCertificateRequest { LicenceNumber = Number, ValidTo = validTo ?? "" }, call).ResponseAsync,
        l => $"已办理延续：签发第 {l.Version} 版，有效期至 {l.ValidTo}。", ct);

    public async Task<IActionResult> OnPostRevokeAsync(string? kind, string? reason, string? confirmation, CancellationToken ct)
    {
        if (!protection.Confirms(RevocationSubject(kind ?? ""), confirmation))
        {
            await OnGetAsync(ct);
            PendingRevocation = Licence is null ? null : (kind ?? "", reason ?? "");
            return Page();
        }

        return await ActAsync(
            call => certificates.RevokeCertificateAsync(new RevokeCertificateRequest
            {
                LicenceNumber = Number,
                Kind = kind switch { "Closed" => RevocationKind.Closed, "Cancelled" => RevocationKind.Cancelled, _ => RevocationKind.Unspecified },
                Reason = reason ?? "",
            }, call).ResponseAsync,
            l => $"许可证 {l.LicenceNumber} 已失效（{l.StatusReason}）。", ct);
    }

    private string RevocationSubject(string kind) => $"revoke|{Number}|{kind}|{OfficerIdentity.From(HttpContext).OfficerId}";

    private async Task<IActionResult> ActAsync(
        Func<CallOptions, Task<CertificateMessage>> step, Func<CertificateMessage, string> done, CancellationToken cancellationToken)
    {
        try
        {
            var licence = await step(await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = done(licence);
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
            TempData[Banner.Alert] = "未能办理：" + (violations is { Count: > 0 } ? string.Join("；", violations.Select(v => v.Description)) : ex.Status.Detail);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return Redirect("/officer/licences/" + Uri.EscapeDataString(Number));
    }
}
