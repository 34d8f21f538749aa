using Grpc.Core;
using Permits.Certificate.Domain;
using Permits.Certificate.Security;
using Permits.Certificate.Signing;
using Permits.Certificate.Workers;
using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Certificate.Features;

/// <summary>
/// The lifecycle steps on an issued licence. 变更 and 延续 issue a new version (same number); 停业 suspends;
/// 恢复营业 restores; 歇业 and 注销 revoke for good; 补办 reissues the same version as a numbered duplicate. Each step
/// checks the current state, changes the row only if nobody else changed it meanwhile (revision), and writes its
/// event, its history row and its disclosure record in the same transaction.
/// <para>
/// Two ways in. An officer calls directly: who acts comes from the access token, an officer of the licence's county;
/// 变更, 延续, 歇业 and 注销 are licensing decisions for the 审批 role (head), 停业, 恢复营业 and 补办 may also be done
/// by the 受理 role (clerk); the request's officer_id is ignored. Or a shopkeeper applied and Review approved
/// (<see cref="ApplyApprovedAsync"/>): the approval is the authority, the approving officer the actor, and the new
/// version or duplicate is also announced as <see cref="CertificateIssued"/> for that application, so Intake and
/// Delivery follow it like a new licence.
/// </para>
/// </summary>
public sealed class LicenceLifecycle(
    ServiceDatabase<CertificateModule> database,
    CountyDirectory counties,
    LicenceSigner signer,
    TimeProvider time)
{
    /// <summary>Licensing decisions: 审批.</summary>
    private static readonly IReadOnlyList<string> DecisionRoles = [PermitsRoles.Head];

    /// <summary>Steps the counter (受理) handles as well.</summary>
    private static readonly IReadOnlyList<string> CounterRoles = [PermitsRoles.Clerk, PermitsRoles.Head];

    private const string UpdateSql = """
        UPDATE certificates SET
            holder_name = @HolderName, responsible_person = @ResponsiblePerson, premises_address = @PremisesAddress,
            valid_to = @ValidTo, issued_at = @IssuedAt, status = @Status, version = @Version, elicence_id = @ElicenceId,
            key_id = @KeyId, token = @Token, duplicate_count = @DuplicateCount, revision = @NextRevision,
            status_reason = @StatusReason, status_changed_at = @ChangedAt
        WHERE id = @Id AND revision = @Revision
        """;

    /// <summary>A step: who may take it, when it may be taken, what it changes, and what it tells the world.</summary>
    private sealed record Plan(
        string Name,
        IReadOnlyList<string> Roles,
        Func<CertificateRow, string?> Precondition,
        Func<CertificateRow, DateTimeOffset, CertificateRow> Change,
        Func<CertificateRow, DateTimeOffset, string, Outcome> Outcome);

    private sealed record Outcome(string DisclosureKind, string HistoryKind, string? Reason, string Summary, object Event);

    public async Task<CertificateMessage> ChangeAsync(ChangeCertificateRequest request, ServerCallContext context)
    {
        var officer = await LicenceAccess.RequireOfficerAsync(context);
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, errors);
        var holderName = request.HolderName.Trim();
        var person = request.ResponsiblePerson.Trim();
        var address = request.PremisesAddress.Trim();
        if (holderName.Length == 0 && person.Length == 0 && address.Length == 0)
        {
            errors.Add("holder_name", "请填写变更后的名称、负责人或经营场所中的至少一项");
        }

        Limit(errors, "holder_name", holderName, 100);
        Limit(errors, "responsible_person", person, 50);
        Limit(errors, "premises_address", address, 200);
        Limit(errors, "reason", request.Reason.Trim(), 150);
        var plan = ChangePlan(holderName, person, address, request.Reason.Trim());
        await ThrowIfInvalidAsync(number, officer, plan, errors, context.CancellationToken);
        return await ApplyAsync(number, officer, plan, context.CancellationToken);
    }

    public async Task<CertificateMessage> RenewAsync(RenewCertificateRequest request, ServerCallContext context)
    {
        var officer = await LicenceAccess.RequireOfficerAsync(context);
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, errors);
        var today = time.Today();
        if (!DateOnly.TryParseExact(request.ValidTo.Trim(), "yyyy-MM-dd", out var validTo))
        {
            errors.Add("valid_to", "延续后的有效期至应为日期，如 2031-06-30");
        }
        else if (validTo > today.AddYears(5).AddDays(-1))
        {
            errors.Add("valid_to", "有效期自延续之日起最长 5 年");
        }

        var plan = RenewPlan(validTo, null);
        await ThrowIfInvalidAsync(number, officer, plan, errors, context.CancellationToken);
        return await ApplyAsync(number, officer, plan, context.CancellationToken);
    }

    public async Task<CertificateMessage> SuspendAsync(SuspendCertificateRequest request, ServerCallContext context)
    {
        var officer = await LicenceAccess.RequireOfficerAsync(context);
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, errors);
        var reason = RequireReason(request.Reason, errors);
        var plan = SuspendPlan(reason);
        await ThrowIfInvalidAsync(number, officer, plan, errors, context.CancellationToken);
        return await ApplyAsync(number, officer, plan, context.CancellationToken);
    }

    public async Task<CertificateMessage> ResumeAsync(ResumeCertificateRequest request, ServerCallContext context)
    {
        var officer = await LicenceAccess.RequireOfficerAsync(context);
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, errors);
        var plan = ResumePlan(null);
        await ThrowIfInvalidAsync(number, officer, plan, errors, context.CancellationToken);
        return await ApplyAsync(number, officer, plan, context.CancellationToken);
    }

    public async Task<CertificateMessage> RevokeAsync(RevokeCertificateRequest request, ServerCallContext context)
    {
        var officer = await LicenceAccess.RequireOfficerAsync(context);
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, errors);
        var reason = RequireReason(request.Reason, errors);
        if (request.Kind is not (RevocationKind.Closed or RevocationKind.Cancelled))
        {
            errors.Add("kind", "请选择歇业或注销");
        }

        var plan = RevokePlan(request.Kind == RevocationKind.Closed, reason);
        await ThrowIfInvalidAsync(number, officer, plan, errors, context.CancellationToken);
        return await ApplyAsync(number, officer, plan, context.CancellationToken);
    }

    public async Task<CertificateMessage> ReissueAsync(ReissueCertificateRequest request, ServerCallContext context)
    {
        var officer = await LicenceAccess.RequireOfficerAsync(context);
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, errors);
        var reason = RequireReason(request.Reason, errors);
        var plan = ReissuePlan(reason);
        await ThrowIfInvalidAsync(number, officer, plan, errors, context.CancellationToken);
        return await ApplyAsync(number, officer, plan, context.CancellationToken);
    }

    /// <summary>
    /// An approved application that is not 新办 (request type as Intake names it), inside the consumer's transaction.
    /// The licence must exist in the approval's county and allow the step: otherwise this throws, the approval goes to
    /// the error queue for a person to look at, and nothing is issued (never a new number for a change).
    /// </summary>
    /// <para>
    /// 停业 with a first day (China time) still to come only schedules the suspension: the licence stays valid, and
    /// <see cref="SuspensionWorker"/> suspends it on that day through <see cref="ApplyScheduledSuspensionAsync"/>.
    /// The last day is recorded with the suspension; 恢复营业 is still the holder's application.
    /// </para>
    public async Task ApplyApprovedAsync(
        DbSession session, LicenceApproved approval, string requestType, string licenceNumber,
        DateOnly? suspendFrom = null, DateOnly? suspendUntil = null)
    {
        var decision = $"准予行政许可决定书 {approval.DocumentNumber}";
        var period = SuspensionPeriod(suspendFrom, suspendUntil);
        var plan = requestType switch
        {
            "Change" => ChangePlan(approval.BusinessName, approval.ResponsiblePerson, approval.PremisesAddress, decision),
            "Renewal" => RenewPlan(RenewedValidTo(approval), decision),
            "Suspend" => SuspendPlan(decision + period, period),
            "Resume" => ResumePlan(decision),
            "Close" => RevokePlan(closed: true, decision),
            "Cancel" => RevokePlan(closed: false, decision),
            "Reissue" => ReissuePlan(decision),
            _ => throw new InvalidOperationException($"Request type {requestType} of application {approval.ApplicationNumber} is not a licence lifecycle step."),
        };
        var row = await CertificateRecords.LoadAsync(session, licenceNumber);
        if (row.CountyCode != approval.CountyCode)
        {
            throw new InvalidOperationException(
                $"Application {approval.ApplicationNumber} ({approval.CountyCode}) concerns licence {licenceNumber} of county {row.CountyCode}.");
        }

        if (requestType == "Suspend" && suspendFrom is { } from && from > time.Today())
        {
            if (plan.Precondition(row) is { } refusal)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, refusal));
            }

            await session.ExecuteAsync(ScheduleSql, new
            {
                approval.ApplicationId,
                Now = time.GetUtcNow(),
                approval.OfficerId,
                approval.DocumentNumber,
            });
            return;
        }

        var next = await ApplyInAsync(session, row, approval.OfficerId, plan, approval.ApplicationId);
        if (next.Version != row.Version || next.DuplicateCount != row.DuplicateCount)
        {
            // A new paper licence for this application: Intake shows it, Delivery sends it.
            await session.PublishAsync(new CertificateIssued(
                next.Id, approval.ApplicationId, approval.ApplicationNumber, next.CountyCode, next.LicenceNumber,
                next.HolderName, next.ValidFrom, next.ValidTo, next.IssuedAt)
            {
                ElicenceId = next.ElicenceId,
                Version = next.Version,
                Token = next.Token,
            });
        }
    }

    /// <summary>
    /// A scheduled 停业 whose first day has come, inside the worker's transaction (which has already claimed the row):
    /// the same step, event, history and disclosure record as an approval on the day, at this time. A licence no
    /// longer valid meanwhile (revoked, or already suspended) is left as it is: returns false.
    /// </summary>
    public async Task<bool> ApplyScheduledSuspensionAsync(DbSession session, ScheduledSuspension scheduled)
    {
        var period = SuspensionPeriod(scheduled.SuspendFrom, scheduled.SuspendUntil);
        var plan = SuspendPlan($"准予行政许可决定书 {scheduled.DecisionDocument}{period}", period);
        var row = await CertificateRecords.LoadAsync(session, scheduled.LicenceNumber);
        if (row.CountyCode != scheduled.CountyCode || plan.Precondition(row) is not null)
        {
            return false;
        }

        await ApplyInAsync(session, row, scheduled.OfficerId ?? "system", plan, scheduled.ApplicationId);
        return true;
    }

    private const string ScheduleSql = """
        UPDATE licence_requests SET suspension_scheduled_at = @Now, approving_officer_id = @OfficerId,
            decision_document = @DocumentNumber
        WHERE application_id = @ApplicationId AND suspension_scheduled_at IS NULL
        """;

    /// <summary>The period asked for, as shown with the suspension: "，停业期限 2026-12-01 至 2027-02-28".</summary>
    private static string SuspensionPeriod(DateOnly? from, DateOnly? until) => (from, until) switch
    {
        ({ } f, { } u) => $"，停业期限 {f:yyyy-MM-dd} 至 {u:yyyy-MM-dd}",
        ({ } f, null) => $"，停业自 {f:yyyy-MM-dd} 起",
        _ => "",
    };

    /// <summary>延续 on approval: five years from the approval day at most, never beyond the lease.</summary>
    private static DateOnly RenewedValidTo(LicenceApproved approval)
    {
        var validTo = ChinaTime.DateOf(approval.ApprovedAt).AddYears(5).AddDays(-1);
        return approval.LeaseEndDate is { } leaseEnd && leaseEnd < validTo ? leaseEnd : validTo;
    }

    private Plan ChangePlan(string holderName, string person, string address, string reason) => new(
        "变更", DecisionRoles, RequireValid,
        (row, now) => NewVersion(row, now, new CertificateRow
        {
            HolderName = holderName.Length > 0 ? holderName : row.HolderName,
            ResponsiblePerson = person.Length > 0 ? person : row.ResponsiblePerson,
            PremisesAddress = address.Length > 0 ? address : row.PremisesAddress,
            ValidTo = row.ValidTo,
        }),
        (row, now, actor) => new Outcome(
            CertificateDisclosureKinds.Changed, LicenceHistoryRecords.Changed, reason,
            $"变更烟草专卖零售许可证 {row.LicenceNumber}（第 {row.Version} 版）",
            new CertificateVersionIssued(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.ElicenceId!,
                row.Version, "Change", row.HolderName, row.ValidFrom, row.ValidTo, actor, now)));

    private Plan RenewPlan(DateOnly validTo, string? reason) => new(
        "延续", DecisionRoles,
        row => RequireValid(row) ?? (validTo <= row.ValidTo ? "延续后的有效期应晚于当前有效期" : null),
        (row, now) => NewVersion(row, now, new CertificateRow
        {
            HolderName = row.HolderName,
            ResponsiblePerson = row.ResponsiblePerson,
            PremisesAddress = row.PremisesAddress,
            ValidTo = validTo,
        }),
        (row, now, actor) => new Outcome(
            CertificateDisclosureKinds.Renewed, LicenceHistoryRecords.Renewed, reason ?? $"有效期延至 {validTo:yyyy-MM-dd}",
            $"延续烟草专卖零售许可证 {row.LicenceNumber}，有效期至 {row.ValidTo:yyyy-MM-dd}",
            new CertificateVersionIssued(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.ElicenceId!,
                row.Version, "Renewal", row.HolderName, row.ValidFrom, row.ValidTo, actor, now)));

    private static Plan SuspendPlan(string reason, string period = "") => new(
        "停业", CounterRoles, RequireValid,
        (row, now) => WithStatus(row, CertificateStatus.Suspended, reason),
        (row, now, actor) => new Outcome(
            CertificateDisclosureKinds.Suspended, LicenceHistoryRecords.Suspended, reason, $"烟草专卖零售许可证 {row.LicenceNumber} 停业{period}",
            new CertificateSuspended(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, reason, actor, now)));

    private static Plan ResumePlan(string? reason) => new(
        "恢复营业", CounterRoles,
        row => row.Status == CertificateStatus.Suspended ? null : "只有停业中的许可证才能恢复营业",
        (row, now) => WithStatus(row, CertificateStatus.Valid, null),
        (row, now, actor) => new Outcome(
            CertificateDisclosureKinds.Resumed, LicenceHistoryRecords.Resumed, reason, $"烟草专卖零售许可证 {row.LicenceNumber} 恢复营业",
            new CertificateResumed(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, actor, now)));

    private static Plan RevokePlan(bool closed, string reason)
    {
        var (kind, label, history) = closed
            ? ("Closed", "歇业", LicenceHistoryRecords.Closed)
            : ("Cancelled", "注销", LicenceHistoryRecords.Cancelled);
        return new(
            label, DecisionRoles,
            row => row.Status == CertificateStatus.Revoked ? "该许可证已经失效" : null,
            (row, now) => WithStatus(row, CertificateStatus.Revoked, $"{label}：{reason}"),
            (row, now, actor) => new Outcome(
                CertificateDisclosureKinds.Revoked, history, reason, $"烟草专卖零售许可证 {row.LicenceNumber} {label}",
                new CertificateRevoked(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, kind, reason, actor, now)));
    }

    private Plan ReissuePlan(string reason) => new(
        "补办", CounterRoles,
        row => row.Status == CertificateStatus.Revoked ? "已失效的许可证不能补办" : null,
        (row, now) => Resign(Copy(row, row.Status, row.StatusReason, row.DuplicateCount + 1, row.Version, row.ValidTo, row.IssuedAt)),
        (row, now, actor) => new Outcome(
            CertificateDisclosureKinds.Reissued, LicenceHistoryRecords.Reissued, reason,
            $"补办烟草专卖零售许可证 {row.LicenceNumber}（第 {row.Version} 版补办证 第 {row.DuplicateCount} 次）",
            new CertificateReissued(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version,
                row.DuplicateCount, reason, actor, now)));

    private const string CountyByNumberSql = "SELECT county_code FROM certificates WHERE licence_number = @LicenceNumber";

    private static RpcException RoleRefused(Plan plan) => new(new Status(StatusCode.PermissionDenied,
        $"{plan.Name}须由{string.Join("或", plan.Roles.Select(LicenceAccess.RoleLabel))}岗位办理"));

    /// <summary>
    /// Permission before validation: with field errors about another county's licence, the answer is PERMISSION_DENIED
    /// (as a well-formed request gets), so the field errors are no oracle. An unknown or malformed number gets the errors.
    /// </summary>
    private async Task ThrowIfInvalidAsync(
        string licenceNumber, CallerIdentity officer, Plan plan, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (errors.Any && !plan.Roles.Any(officer.IsInRole))
        {
            throw RoleRefused(plan);
        }

        if (errors.Any && errors.Items.All(e => e.Field != "licence_number"))
        {
            string? county;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                county = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<string>(connection, CountyByNumberSql, new { LicenceNumber = licenceNumber });
            }

            if (county is not null && !officer.ActsIn(county))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "该许可证不属于您所在的县，无权办理"));
            }
        }

        errors.ThrowIfAny();
    }

    /// <summary>An officer's call: one transaction, the officer's county and roles checked against the licence.</summary>
    private async Task<CertificateMessage> ApplyAsync(string licenceNumber, CallerIdentity officer, Plan plan, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var row = await CertificateRecords.LoadAsync(session, licenceNumber);
        if (!officer.ActsIn(row.CountyCode))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "该许可证不属于您所在的县，无权办理"));
        }

        if (!plan.Roles.Any(officer.IsInRole))
        {
            throw RoleRefused(plan);
        }

        var next = await ApplyInAsync(session, row, officer.Subject!, plan, null);
        await session.CommitAsync(cancellationToken);
        return next.ToMessage();
    }

    private async Task<CertificateRow> ApplyInAsync(DbSession session, CertificateRow row, string actor, Plan plan, Guid? requestApplicationId)
    {
        if (plan.Precondition(row) is { } refusal)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, refusal));
        }

        var now = time.GetUtcNow();
        var next = plan.Change(row, now);
        var updated = await session.ExecuteAsync(UpdateSql, new
        {
            next.Id,
            next.HolderName,
            next.ResponsiblePerson,
            next.PremisesAddress,
            next.ValidTo,
            next.IssuedAt,
            next.Status,
            next.Version,
            next.ElicenceId,
            next.KeyId,
            next.Token,
            next.DuplicateCount,
            NextRevision = row.Revision + 1,
            next.StatusReason,
            ChangedAt = now,
            row.Revision,
        });
        if (updated == 0)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "该许可证刚被他人修改，请刷新后重试"));
        }

        var outcome = plan.Outcome(next, now, actor);
        await LicenceHistoryRecords.RecordAsync(session, next, row.Revision + 1, outcome.HistoryKind, outcome.Reason, actor, now);
        await PublishAsync(session, outcome.Event, requestApplicationId);
        var county = counties.Get(next.CountyCode);
        await session.DiscloseAsync(new DisclosureRecorded(
            DeterministicGuid.Create(next.ApplicationId, outcome.DisclosureKind, row.Revision + 1),
            outcome.DisclosureKind,
            next.ApplicationId,
            next.ApplicationNumber,
            county.Code,
            county.Authority,
            now,
            $"{county.Authority}{outcome.Summary}",
            new Dictionary<string, string>
            {
                ["XK_XDR_MC"] = next.HolderName,
                ["XK_XKZS"] = LicenceSigner.LicenceTitle,
                ["XK_XKBH"] = next.LicenceNumber,
                ["XK_NR"] = next.Scope,
                ["XK_YXQZ"] = next.ValidFrom.ToString("yyyy-MM-dd"),
                ["XK_YXQZI"] = next.ValidTo.ToString("yyyy-MM-dd"),
                ["XK_XKJG"] = county.Authority,
                ["XK_XKJGDM"] = county.AuthorityCreditCode,
                ["XK_ZT"] = outcome.HistoryKind switch
                {
                    LicenceHistoryRecords.Suspended => "停业",
                    LicenceHistoryRecords.Closed => "歇业",
                    LicenceHistoryRecords.Cancelled => "注销",
                    _ => "有效",
                },
            }));
        return next;
    }

    private static Task PublishAsync(DbSession session, object message, Guid? requestApplicationId) => message switch
    {
        CertificateVersionIssued m => session.PublishAsync(m with { RequestApplicationId = requestApplicationId }),
        CertificateSuspended m => session.PublishAsync(m with { RequestApplicationId = requestApplicationId }),
        CertificateResumed m => session.PublishAsync(m with { RequestApplicationId = requestApplicationId }),
        CertificateRevoked m => session.PublishAsync(m with { RequestApplicationId = requestApplicationId }),
        CertificateReissued m => session.PublishAsync(m with { RequestApplicationId = requestApplicationId }),
        _ => throw new InvalidOperationException($"No event type {message.GetType().Name}."),
    };

    private CertificateRow NewVersion(CertificateRow row, DateTimeOffset now, CertificateRow changes)
    {
        if (row.Version >= 999)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "该许可证版本号已用尽（999），请换发新证"));
        }

        var next = Copy(row, CertificateStatus.Valid, null, 0, row.Version + 1, changes.ValidTo, now, changes);
        return Resign(next);
    }

    private CertificateRow Resign(CertificateRow next)
    {
        var elicenceId = signer.ElicenceIdOf(next.CountyCode, next.LicenceNumber, next.Version);
        var (token, keyId) = signer.SignToken(next, elicenceId);
        return Copy(next, next.Status, next.StatusReason, next.DuplicateCount, next.Version, next.ValidTo, next.IssuedAt,
            elicenceId: elicenceId, keyId: keyId, token: token);
    }

    private static CertificateRow WithStatus(CertificateRow row, string status, string? reason) =>
        Copy(row, status, reason, row.DuplicateCount, row.Version, row.ValidTo, row.IssuedAt);

    private static CertificateRow Copy(
        CertificateRow row, string status, string? reason, int duplicate, int version, DateOnly validTo, DateTimeOffset issuedAt,
        CertificateRow? changes = null, string? elicenceId = null, string? keyId = null, string? token = null) => new()
    {
        Id = row.Id,
        ApplicationId = row.ApplicationId,
        ApplicationNumber = row.ApplicationNumber,
        LicenceNumber = row.LicenceNumber,
        CountyCode = row.CountyCode,
        HolderType = row.HolderType,
        HolderName = changes?.HolderName ?? row.HolderName,
        CreditCode = row.CreditCode,
        ResponsiblePerson = changes?.ResponsiblePerson ?? row.ResponsiblePerson,
        PremisesAddress = changes?.PremisesAddress ?? row.PremisesAddress,
        Scope = row.Scope,
        ValidFrom = row.ValidFrom,
        ValidTo = validTo,
        DecisionDocument = row.DecisionDocument,
        IssuingAuthority = row.IssuingAuthority,
        IssuedAt = issuedAt,
        Status = status,
        Version = version,
        ElicenceId = elicenceId ?? row.ElicenceId,
        KeyId = keyId ?? row.KeyId,
        Token = token ?? row.Token,
        DuplicateCount = duplicate,
        Revision = row.Revision,
        StatusReason = reason,
    };

    private static string? RequireValid(CertificateRow row) => row.Status switch
    {
        CertificateStatus.Valid => null,
        CertificateStatus.Suspended => "该许可证停业中，请先恢复营业",
        _ => "该许可证已经失效",
    };

    private static string Common(string licenceNumber, FieldErrors errors)
    {
        var number = licenceNumber.Trim();
        if (number.Length != 12 || !number.All(char.IsAsciiDigit))
        {
            errors.Add("licence_number", number.Length == 0 ? "请填写许可证号" : "许可证号应为 12 位数字");
        }

        return number;
    }

    private static string RequireReason(string reason, FieldErrors errors)
    {
        var text = reason.Trim();
        if (text.Length == 0)
        {
            errors.Add("reason", "请填写原因");
        }

        Limit(errors, "reason", text, 150);
        return text;
    }

    private static void Limit(FieldErrors errors, string field, string value, int max)
    {
        if (value.Length > max)
        {
            errors.Add(field, $"不能超过 {max} 个字");
        }
    }
}
