using Dapper;
using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Features;

/// <summary>
/// 办件进度 for platforms: a case's current status, derived from its records in the order the steps happened
/// (occurred_at, then log position). The log itself is in arrival order: records come from several services' outboxes,
/// so under load a licence's issue can arrive before its approval. A withdrawn record no longer counts; a correction
/// stands in for the record it corrects.
/// </summary>
public sealed class ApplicationProgressQuery(ServiceDatabase<DisclosureModule> database)
{
    private const int MaxSteps = 500;

    private const string StepsSql = $"""
        SELECT {LogRow.Columns} FROM disclosure_records
        WHERE application_number = @ApplicationNumber AND {Filters.ScopeFilter}
        ORDER BY occurred_at, position
        """;

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [DisclosureKinds.ApplicationSubmitted] = "已提交",
        [DisclosureKinds.ApplicationAccepted] = "已受理",
        [DisclosureKinds.ApplicationNotAccepted] = "不予受理",
        [DisclosureKinds.CorrectionRequested] = "待补正",
        [DisclosureKinds.SiteInspected] = "已实地核查",
        [DisclosureKinds.LicenceApproved] = "准予许可",
        [DisclosureKinds.LicenceDenied] = "不予许可",
        [DisclosureKinds.CertificateIssued] = "已发证",
        [DisclosureKinds.ShipmentDispatched] = "证件已寄出",
        [DisclosureKinds.ShipmentDelivered] = "已送达",
        [DisclosureKinds.DeliveryFailed] = "投递失败",
        [DisclosureKinds.CertificateSuspended] = "许可证暂停",
        [DisclosureKinds.CertificateRevoked] = "许可证撤销",
        [DisclosureKinds.ApplicationWithdrawn] = "已撤回",
        [DisclosureKinds.ReviewOpinionRecorded] = "审核中",
        [DisclosureKinds.DecisionPeriodExtended] = "审批期限已延长",
        [DisclosureKinds.CertificateChanged] = "许可证已变更",
        [DisclosureKinds.CertificateRenewed] = "许可证已延续",
        [DisclosureKinds.CertificateResumed] = "已恢复营业",
        [DisclosureKinds.CertificateReissued] = "许可证已补办",
        [DisclosureKinds.ShipmentRedelivery] = "再次投递中",
        [DisclosureKinds.ShipmentAwaitingPickup] = "待窗口领取",
    };

    public async Task<ApplicationProgress> HandleAsync(
        GetApplicationProgressRequest request, string? province, CancellationToken cancellationToken)
    {
        var number = request.ApplicationNumber.Trim();
        if (number.Length is 0 or > 40)
        {
            new FieldErrors().Add("application_number", "请填写申请编号（不超过 40 个字符）").ThrowIfAny();
        }

        var parameters = new DynamicParameters(new { ApplicationNumber = number });
        Filters.AddScope(parameters, "", province);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<LogRow>(
            new CommandDefinition(StepsSql, parameters, cancellationToken: cancellationToken))).Take(MaxSteps).ToList();
        if (rows.Count == 0)
        {
            // Outside the caller's province looks the same as unknown: nothing leaks across provinces.
            throw new RpcException(new Status(StatusCode.NotFound, $"未找到申请编号 {number} 的办件记录"));
        }

        var withdrawn = rows.Where(r => r.Kind == DisclosureKinds.RecordWithdrawn && r.Supersedes is not null)
            .Select(r => r.Supersedes!.Value).ToHashSet();
        var steps = rows.Where(r => !withdrawn.Contains(r.RecordId)
            && r.Kind is not (DisclosureKinds.RecordWithdrawn or DisclosureKinds.RecordCorrected)).ToList();
        var current = steps.Count == 0 ? rows[^1] : steps[^1];
        var progress = new ApplicationProgress
        {
            ApplicationNumber = number,
            CountyCode = current.CountyCode,
            Status = current.Kind,
            StatusLabel = Labels.GetValueOrDefault(current.Kind, current.Kind),
        };
        progress.Steps.AddRange(rows.Select(r => r.ToMessage()));
        return progress;
    }
}
