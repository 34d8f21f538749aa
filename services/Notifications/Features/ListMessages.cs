using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Notifications.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Notifications.Features;

/// <summary>
/// What was sent about an application, for the officers of its county (the four licensing roles): oldest first, the
/// number masked. Another county's officer is refused and the refusal audited; an application this service never heard
/// of is NOT_FOUND.
/// </summary>
public sealed class ListMessages(ServiceDatabase<NotificationsModule> database, OfficerAudit<NotificationsModule> audit)
{
    public static readonly OfficerStep Read = new(
        "read-messages", "查看短信记录", [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head]);

    private const string CountySql = "SELECT county_code FROM notification_contacts WHERE application_id = @ApplicationId";

    private const string MessagesSql = """
        SELECT template AS Template, body AS Body, status AS Status, phone_masked AS PhoneMasked, created_at AS CreatedAt,
               sent_at AS SentAt, attempts AS Attempts, note AS Note
        FROM notification_messages WHERE application_id = @ApplicationId
        ORDER BY created_at, template
        """;

    public async Task<ListMessagesResponse> HandleAsync(ListMessagesRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var text = request.ApplicationId.Trim();
        if (!Guid.TryParse(text, out var applicationId))
        {
            new FieldErrors().Add("application_id", text.Length == 0 ? "请提供申请 ID" : "申请 ID 格式不正确").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var county = await connection.QuerySingleOrDefaultAsync<string>(CountySql, new { ApplicationId = applicationId })
            ?? throw new RpcException(new Status(StatusCode.NotFound, "没有该申请的短信记录"));
        if (OfficerGuard.Decide(officer, Read, county, "该申请") is { Allowed: false } verdict)
        {
            await audit.RefusedAsync(officer, Read, applicationId.ToString(), county, verdict.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }

        var rows = await connection.QueryAsync<Row>(MessagesSql, new { ApplicationId = applicationId });
        var reply = new ListMessagesResponse();
        reply.Messages.AddRange(rows.Select(r => new SentMessage
        {
            Template = r.Template,
            Text = r.Body ?? "",
            Status = r.Status,
            Phone = r.PhoneMasked ?? "",
            CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
            SentAt = r.SentAt is { } sent ? Timestamp.FromDateTimeOffset(sent) : null,
            Attempts = r.Attempts,
            Note = r.Note ?? "",
        }));
        return reply;
    }

    private sealed class Row
    {
        public string Template { get; init; } = "";
        public string? Body { get; init; }
        public string Status { get; init; } = "";
        public string? PhoneMasked { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? SentAt { get; init; }
        public int Attempts { get; init; }
        public string? Note { get; init; }
    }
}
