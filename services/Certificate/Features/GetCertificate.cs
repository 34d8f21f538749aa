using Dapper;
using Grpc.Core;
using Permits.Certificate.Security;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Certificate.Features;

/// <summary>
/// A licence with its non-public fields, for its holder or an officer of its county; and its history. By application
/// id it is the licence issued for that application, or the one an approved 变更, 延续 or 补办 application acted on.
/// </summary>
public sealed class GetCertificate(ServiceDatabase<CertificateModule> database, LicenceAccess access)
{
    public async Task<CertificateMessage> HandleAsync(GetCertificateRequest request, ServerCallContext context)
    {
        var row = await FindAsync(request.LicenceNumber, request.ApplicationId, context);
        await access.RequireReaderAsync(context, row);
        var message = row.ToMessage();
        await using var connection = await database.OpenAsync(context.CancellationToken);
        var scheduled = (await connection.QueryAsync<ScheduledPeriod>(ScheduledSuspensionSql, new { row.LicenceNumber }))
            .OrderBy(p => p.SuspendFrom).FirstOrDefault();
        if (scheduled is not null)
        {
            message.ScheduledSuspensionFrom = scheduled.SuspendFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            message.ScheduledSuspensionUntil =
                scheduled.SuspendUntil?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        return message;
    }

    /// <summary>A 停业 approved but not yet begun (the suspension worker applies it on its first day).</summary>
    public const string ScheduledSuspensionSql = """
        SELECT suspend_from AS SuspendFrom, suspend_until AS SuspendUntil FROM licence_requests
        WHERE licence_number = @LicenceNumber AND suspension_scheduled_at IS NOT NULL AND suspension_applied_at IS NULL
            AND suspend_from IS NOT NULL
        """;

    private sealed class ScheduledPeriod
    {
        public DateOnly SuspendFrom { get; init; }
        public DateOnly? SuspendUntil { get; init; }
    }

    public async Task<LicenceHistory> HistoryAsync(GetLicenceHistoryRequest request, ServerCallContext context)
    {
        var row = await FindAsync(request.LicenceNumber, "", context);
        await access.RequireReaderAsync(context, row);
        var history = new LicenceHistory { LicenceNumber = row.LicenceNumber };
        history.Events.AddRange(await LicenceHistoryRecords.LoadAsync(database, row.Id, context.CancellationToken));
        return history;
    }

    /// <summary>
    /// The licence by number or by application id; NOT_FOUND names nothing. An anonymous caller is refused before the
    /// lookup, so the answer never tells a stranger whether a number exists.
    /// </summary>
    public async Task<CertificateRow> FindAsync(string licenceNumber, string applicationId, ServerCallContext context)
    {
        if (!(await LicenceAccess.CallerAsync(context)).IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：只有持证人本人或发证县的工作人员可以查看"));
        }

        await using var connection = await database.OpenAsync(context.CancellationToken);
        CertificateRow? row;
        if (licenceNumber.Trim().Length > 0)
        {
            var number = CertificateRecords.RequireLicenceNumber(licenceNumber);
            row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(CertificateRecords.ByNumberSql, new { LicenceNumber = number });
        }
        else if (Guid.TryParse(applicationId, out var id))
        {
            row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(CertificateRecords.ByApplicationSql, new { ApplicationId = id })
                  ?? await connection.QuerySingleOrDefaultAsync<CertificateRow>(CertificateRecords.ByRequestApplicationSql, new { ApplicationId = id });
        }
        else
        {
            new FieldErrors().Add("licence_number", "请提供许可证号或申请 ID").ThrowIfAny();
            return null!;
        }

        return row ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该许可证"));
    }
}
