using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Notifications.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Notifications.Features;

/// <summary>The county's monthly notice of licences expiring next month, for its 受理 clerk or head (county from the token).</summary>
public sealed class GetClerkNotice(ServiceDatabase<NotificationsModule> database, TimeProvider time)
{
    public static readonly OfficerStep Read = new("read-clerk-notice", "查看许可证到期提醒", [PermitsRoles.Clerk, PermitsRoles.Head]);

    private const string NoticeSql = """
        SELECT county_code AS CountyCode, month AS Month, licence_count AS LicenceCount, body AS Body, created_at AS CreatedAt
        FROM clerk_notices WHERE county_code = @CountyCode AND month = @Month
        """;

    public async Task<ClerkNotice> HandleAsync(GetClerkNoticeRequest request, Officer officer, CancellationToken cancellationToken)
    {
        if (OfficerGuard.Decide(officer, Read, officer.CountyCode, "该提醒") is { Allowed: false } verdict)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }

        var month = request.Month.Trim();
        if (month.Length == 0)
        {
            month = SendExpiryReminders.MonthOf(time.Today());
        }
        else if (!ChinaTime.TryParseDate(month + "-01", out _))
        {
            new FieldErrors().Add("month", "月份格式应为 2026-05").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(NoticeSql, new { officer.CountyCode, Month = month })
            ?? throw new RpcException(new Status(StatusCode.NotFound, "该月没有许可证到期提醒"));
        return new ClerkNotice
        {
            CountyCode = row.CountyCode,
            Month = row.Month,
            LicenceCount = row.LicenceCount,
            Text = row.Body,
            CreatedAt = Timestamp.FromDateTimeOffset(row.CreatedAt),
        };
    }

    private sealed class Row
    {
        public string CountyCode { get; init; } = "";
        public string Month { get; init; } = "";
        public int LicenceCount { get; init; }
        public string Body { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }
}
