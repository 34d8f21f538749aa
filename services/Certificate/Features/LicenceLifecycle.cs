using Grpc.Core;
using Permits.Certificate.Domain;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Disclosure;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Certificate.Features;

/// <summary>
/// Officer lifecycle steps on an issued licence. 变更 and 延续 issue a new version (same number); 停业 suspends;
/// 恢复营业 restores; 歇业 and 注销 revoke for good; 补办 reissues the same version as a numbered duplicate. Each step
/// checks the current state, changes the row only if nobody else changed it meanwhile (revision), and publishes its
/// event and disclosure record in the same transaction.
/// </summary>
public sealed class LicenceLifecycle(
    ServiceDatabase<CertificateModule> database,
    CountyDirectory counties,
    LicenceSigner signer,
    TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE certificates SET
            holder_name = @HolderName, responsible_person = @ResponsiblePerson, premises_address = @PremisesAddress,
            valid_to = @ValidTo, issued_at = @IssuedAt, status = @Status, version = @Version, elicence_id = @ElicenceId,
            key_id = @KeyId, token = @Token, duplicate_count = @DuplicateCount, revision = @NextRevision,
            status_reason = @StatusReason, status_changed_at = @ChangedAt
        WHERE id = @Id AND revision = @Revision
        """;

    public Task<CertificateMessage> ChangeAsync(ChangeCertificateRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, request.OfficerId, errors);
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
        errors.ThrowIfAny();

        return ApplyAsync(number, cancellationToken, RequireValid, (row, now) => NewVersion(row, now, new CertificateRow
        {
            HolderName = holderName.Length > 0 ? holderName : row.HolderName,
            ResponsiblePerson = person.Length > 0 ? person : row.ResponsiblePerson,
            PremisesAddress = address.Length > 0 ? address : row.PremisesAddress,
            ValidTo = row.ValidTo,
        }), (row, now) => Step(
            CertificateDisclosureKinds.Changed, $"变更烟草专卖零售许可证 {row.LicenceNumber}（第 {row.Version} 版）",
            new CertificateVersionIssued(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.ElicenceId!,
                row.Version, "Change", row.HolderName, row.ValidFrom, row.ValidTo, request.OfficerId.Trim(), now)));
    }

    public Task<CertificateMessage> RenewAsync(RenewCertificateRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, request.OfficerId, errors);
        var today = time.Today();
        if (!DateOnly.TryParseExact(request.ValidTo.Trim(), "yyyy-MM-dd", out var validTo))
        {
            errors.Add("valid_to", "延续后的有效期至应为日期，如 2031-06-30");
        }
        else if (validTo > today.AddYears(5).AddDays(-1))
        {
            errors.Add("valid_to", "有效期自延续之日起最长 5 年");
        }

        errors.ThrowIfAny();
        return ApplyAsync(number, cancellationToken, row => RequireValid(row) ?? (validTo <= row.ValidTo ? "延续后的有效期应晚于当前有效期" : null),
            (row, now) => NewVersion(row, now, new CertificateRow
            {
                HolderName = row.HolderName,
                ResponsiblePerson = row.ResponsiblePerson,
                PremisesAddress = row.PremisesAddress,
                ValidTo = validTo,
            }), (row, now) => Step(
                CertificateDisclosureKinds.Renewed, $"延续烟草专卖零售许可证 {row.LicenceNumber}，有效期至 {row.ValidTo:yyyy-MM-dd}",
                new CertificateVersionIssued(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.ElicenceId!,
                    row.Version, "Renewal", row.HolderName, row.ValidFrom, row.ValidTo, request.OfficerId.Trim(), now)));
    }

    public Task<CertificateMessage> SuspendAsync(SuspendCertificateRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, request.OfficerId, errors);
        var reason = RequireReason(request.Reason, errors);
        errors.ThrowIfAny();
        return ApplyAsync(number, cancellationToken, RequireValid,
            (row, now) => WithStatus(row, CertificateStatus.Suspended, reason, now),
            (row, now) => Step(CertificateDisclosureKinds.Suspended, $"烟草专卖零售许可证 {row.LicenceNumber} 停业",
                new CertificateSuspended(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, reason,
                    request.OfficerId.Trim(), now)));
    }

    public Task<CertificateMessage> ResumeAsync(ResumeCertificateRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, request.OfficerId, errors);
        errors.ThrowIfAny();
        return ApplyAsync(number, cancellationToken,
            row => row.Status == CertificateStatus.Suspended ? null : "只有停业中的许可证才能恢复营业",
            (row, now) => WithStatus(row, CertificateStatus.Valid, null, now),
            (row, now) => Step(CertificateDisclosureKinds.Resumed, $"烟草专卖零售许可证 {row.LicenceNumber} 恢复营业",
                new CertificateResumed(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version,
                    request.OfficerId.Trim(), now)));
    }

    public Task<CertificateMessage> RevokeAsync(RevokeCertificateRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, request.OfficerId, errors);
        var reason = RequireReason(request.Reason, errors);
        var (kind, label) = request.Kind switch
        {
            RevocationKind.Closed => ("Closed", "歇业"),
            RevocationKind.Cancelled => ("Cancelled", "注销"),
            _ => ("", ""),
        };
        if (kind.Length == 0)
        {
            errors.Add("kind", "请选择歇业或注销");
        }

        errors.ThrowIfAny();
        return ApplyAsync(number, cancellationToken,
            row => row.Status == CertificateStatus.Revoked ? "该许可证已经失效" : null,
            (row, now) => WithStatus(row, CertificateStatus.Revoked, $"{label}：{reason}", now),
            (row, now) => Step(CertificateDisclosureKinds.Revoked, $"烟草专卖零售许可证 {row.LicenceNumber} {label}",
                new CertificateRevoked(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, kind, reason,
                    request.OfficerId.Trim(), now)));
    }

    public Task<CertificateMessage> ReissueAsync(ReissueCertificateRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = Common(request.LicenceNumber, request.OfficerId, errors);
        var reason = RequireReason(request.Reason, errors);
        errors.ThrowIfAny();
        return ApplyAsync(number, cancellationToken,
            row => row.Status == CertificateStatus.Revoked ? "已失效的许可证不能补办" : null,
            (row, now) =>
            {
                var next = Copy(row, row.Status, row.StatusReason, row.DuplicateCount + 1, row.Version, row.ValidTo, row.IssuedAt);
                return Resign(next);
            },
            (row, now) => Step(CertificateDisclosureKinds.Reissued, $"补办烟草专卖零售许可证 {row.LicenceNumber}（副本 {row.DuplicateCount}）",
                new CertificateReissued(row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version,
                    row.DuplicateCount, reason, request.OfficerId.Trim(), now)));
    }

    private async Task<CertificateMessage> ApplyAsync(
        string licenceNumber,
        CancellationToken cancellationToken,
        Func<CertificateRow, string?> precondition,
        Func<CertificateRow, DateTimeOffset, CertificateRow> change,
        Func<CertificateRow, DateTimeOffset, LifecycleStep> step)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var row = await CertificateRecords.LoadAsync(session, licenceNumber);
        if (precondition(row) is { } refusal)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, refusal));
        }

        var now = time.GetUtcNow();
        var next = change(row, now);
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

        var (kind, summary, message) = step(next, now);
        await PublishAsync(session, message);
        var county = counties.Get(next.CountyCode);
        await session.DiscloseAsync(new DisclosureRecorded(
            DeterministicGuid.Create(next.ApplicationId, kind, row.Revision + 1),
            kind,
            next.ApplicationId,
            next.ApplicationNumber,
            county.Code,
            county.Authority,
            now,
            $"{county.Authority}{summary}",
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
                ["XK_ZT"] = next.Status switch
                {
                    CertificateStatus.Suspended => "停业",
                    CertificateStatus.Revoked => "已注销",
                    _ => "有效",
                },
            }));
        await session.CommitAsync(cancellationToken);
        return next.ToMessage();
    }

    private static Task PublishAsync(DbSession session, object message) => message switch
    {
        CertificateVersionIssued m => session.PublishAsync(m),
        CertificateSuspended m => session.PublishAsync(m),
        CertificateResumed m => session.PublishAsync(m),
        CertificateRevoked m => session.PublishAsync(m),
        CertificateReissued m => session.PublishAsync(m),
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

    private static CertificateRow WithStatus(CertificateRow row, string status, string? reason, DateTimeOffset now) =>
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

    private static string Common(string licenceNumber, string officerId, FieldErrors errors)
    {
        var number = licenceNumber.Trim();
        if (number.Length != 12 || !number.All(char.IsAsciiDigit))
        {
            errors.Add("licence_number", number.Length == 0 ? "请填写许可证号" : "许可证号应为 12 位数字");
        }

        if (string.IsNullOrWhiteSpace(officerId))
        {
            errors.Add("officer_id", "请填写经办人");
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

    private static LifecycleStep Step(string kind, string summary, object message) => new(kind, summary, message);

    private sealed record LifecycleStep(string Kind, string Summary, object Message);
}
