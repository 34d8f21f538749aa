using Dapper;
using Grpc.Core;
using Permits.Certificate.Features.Register;
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
public sealed class GetCertificate(ServiceDatabase<CertificateModule> database, LicenceAccess access, LicenceTokens tokens)
{
    public async Task<CertificateMessage> HandleAsync(GetCertificateRequest request, LicenceReader reader, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(request.LicenceNumber, request.ApplicationId, reader, cancellationToken);
        var message = row.ToMessage();
        await using var connection = await database.OpenAsync(cancellationToken);
        var scheduled = (await connection.QueryAsync<ScheduledPeriod>(ScheduledSuspensionSql, new { row.LicenceNumber }))
            .OrderBy(p => p.SuspendFrom).FirstOrDefault();
        if (scheduled is not null)
        {
            message.ScheduledSuspensionFrom = ChinaTime.Text(scheduled.SuspendFrom);
            message.ScheduledSuspensionUntil = ChinaTime.Text(scheduled.SuspendUntil);
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

    public async Task<LicenceHistory> HistoryAsync(GetLicenceHistoryRequest request, LicenceReader reader, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(request.LicenceNumber, "", reader, cancellationToken);
        var history = new LicenceHistory { LicenceNumber = row.LicenceNumber };
        history.Events.AddRange(await LicenceHistoryRecords.LoadAsync(database, row.Id, cancellationToken));
        return history;
    }

    /// <summary>
    /// The licence by number or by application id, for its holder or an officer of its county (<see cref="LicenceAccess"/>);
    /// NOT_FOUND names nothing. An anonymous caller is refused before the lookup, so the answer never tells a stranger
    /// whether a number exists.
    /// </summary>
    public async Task<CertificateRow> ReadAsync(string licenceNumber, string applicationId, LicenceReader reader, CancellationToken cancellationToken)
    {
        reader.RequireSignedIn();
        var row = await FindAsync(licenceNumber, applicationId, cancellationToken);
        await access.RequireReaderAsync(reader, row, cancellationToken);
        return await tokens.SignedAsync(row, cancellationToken);
    }

    private async Task<CertificateRow> FindAsync(string licenceNumber, string applicationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
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
