using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Intake.Features;

/// <summary>
/// The application with every step so far (办件进度). Anyone with the number sees the status only (public view: no
/// business name, no form); the owner (<paramref name="owner"/> given) sees everything and NOT_FOUND for another's.
/// </summary>
public sealed class GetApplication(ServiceDatabase<IntakeModule> database)
{
    private const string ByIdSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode, request_type AS RequestType,
               holder_type AS HolderType, business_name AS BusinessName, status AS Status, submitted_at AS SubmittedAt,
               decision_due_by AS DecisionDueBy, licence_number AS LicenceNumber, waybill_number AS WaybillNumber,
               delivery_method AS DeliveryMethod, owner_subject AS OwnerSubject, form_json AS FormJson,
               deadline_kind AS DeadlineKind, deadline_due_by AS DeadlineDueBy, deadline_provisional AS DeadlineProvisional,
               deadline_paused_days AS DeadlinePausedDays
        FROM applications WHERE id = @Id
        """;

    private const string ByNumberSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode, request_type AS RequestType,
               holder_type AS HolderType, business_name AS BusinessName, status AS Status, submitted_at AS SubmittedAt,
               decision_due_by AS DecisionDueBy, licence_number AS LicenceNumber, waybill_number AS WaybillNumber,
               delivery_method AS DeliveryMethod, owner_subject AS OwnerSubject, form_json AS FormJson,
               deadline_kind AS DeadlineKind, deadline_due_by AS DeadlineDueBy, deadline_provisional AS DeadlineProvisional,
               deadline_paused_days AS DeadlinePausedDays
        FROM applications WHERE application_number = @Number
        """;

    private const string HistorySql = """
        SELECT status AS Status, at AS At, note AS Note, document_title AS DocumentTitle, document_number AS DocumentNumber
        FROM application_history
        WHERE application_id = @Id ORDER BY at
        """;

    private const string RatingSql = "SELECT level FROM service_ratings WHERE application_id = @Id";

    private const string OpenCorrectionsSql = """
        SELECT document_number AS DocumentNumber, material AS Material, reason AS Reason FROM application_corrections
        WHERE application_id = @Id AND resolved_at IS NULL ORDER BY position
        """;

    public async Task<Application> HandleAsync(GetApplicationRequest request, CancellationToken cancellationToken) =>
        await HandleAsync(request, null, cancellationToken);

    public async Task<Application> HandleAsync(GetApplicationRequest request, string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        ApplicationRow? row;
        if (request.ApplicationId.Length > 0)
        {
            if (!Guid.TryParse(request.ApplicationId, out var id))
            {
                new FieldErrors().Add("application_id", "申请编号格式不正确").ThrowIfAny();
            }

            row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(ByIdSql, new { Id = id });
        }
        else if (request.ApplicationNumber.Length > 0)
        {
            row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(ByNumberSql, new { Number = request.ApplicationNumber.Trim() });
        }
        else
        {
            new FieldErrors().Add("application_id", "请提供申请 ID 或申请编号").ThrowIfAny();
            return null!;
        }

        if (row is null || (owner is not null && row.OwnerSubject != owner))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        }

        var history = await connection.QueryAsync<HistoryRow>(HistorySql, new { row.Id });
        var reply = new Application
        {
            ApplicationId = row.Id.ToString(),
            ApplicationNumber = row.ApplicationNumber,
            CountyCode = row.CountyCode,
            RequestType = RequestTypes.Parse(row.RequestType),
            HolderType = HolderTypes.Parse(row.HolderType),
            BusinessName = owner is null ? "" : row.BusinessName,
            Status = row.Status,
            StatusLabel = ApplicationStatus.Label(row.Status),
            SubmittedAt = Timestamp.FromDateTimeOffset(row.SubmittedAt),
            DecisionDueBy = row.DecisionDueBy?.ToString("yyyy-MM-dd") ?? "",
            LicenceNumber = row.LicenceNumber ?? "",
            WaybillNumber = row.WaybillNumber ?? "",
            DeliveryMethod = row.DeliveryMethod == "Courier" ? DeliveryMethod.Courier : DeliveryMethod.Pickup,
            NextDeadline = row.DeadlineDueBy?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            NextDeadlineKind = row.DeadlineKind ?? "",
            NextDeadlineLabel = ApplicantDeadlines.Label(row.DeadlineKind),
            NextDeadlineProvisional = row.DeadlineProvisional == 1,
            DeadlinePaused = row.DeadlinePausedDays is not null,
            DeadlineRemainingWorkingDays = row.DeadlinePausedDays ?? 0,
        };
        reply.History.AddRange(history.Select(h => new StatusStep
        {
            Status = h.Status,
            Label = ApplicationStatus.Label(h.Status),
            At = Timestamp.FromDateTimeOffset(h.At),
            // A courier's words (tracking, failure reason) are for the applicant, not for anyone holding the number.
            Note = owner is null ? History.PublicNote(h.Status, h.Note) : h.Note ?? "",
            DocumentTitle = h.DocumentTitle ?? "",
            DocumentNumber = h.DocumentNumber ?? "",
        }));
        if (owner is not null)
        {
            reply.OwnerView = true;
            reply.Form = FormJson.Read(row.FormJson);
            reply.CanWithdraw = ApplicationStatus.CanWithdraw(row.Status);
            reply.CanResubmit = row.Status == ApplicationStatus.CorrectionRequested;
            var corrections = (await connection.QueryAsync<CorrectionRow>(OpenCorrectionsSql, new { row.Id })).ToList();
            reply.Corrections.AddRange(corrections.Select(c => new CorrectionItem { Material = c.Material, Reason = c.Reason }));
            reply.CorrectionDocumentNumber = corrections.FirstOrDefault()?.DocumentNumber ?? "";
            var rating = await connection.QuerySingleOrDefaultAsync<string>(RatingSql, new { row.Id });
            reply.Rating = rating is not null && System.Enum.TryParse<RatingLevel>(rating, out var level) ? level : RatingLevel.Unspecified;
            reply.CanRate = rating is null && ApplicationStatus.Concluded(row.Status);
            reply.Materials.AddRange(await Materials.OfApplicationAsync(connection, row.Id));
        }

        return reply;
    }

    private sealed class CorrectionRow
    {
        public string DocumentNumber { get; init; } = "";
        public string Material { get; init; } = "";
        public string Reason { get; init; } = "";
    }

    private sealed class ApplicationRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string RequestType { get; init; } = "";
        public string HolderType { get; init; } = "";
        public string BusinessName { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset SubmittedAt { get; init; }
        public DateOnly? DecisionDueBy { get; init; }
        public string? LicenceNumber { get; init; }
        public string? WaybillNumber { get; init; }
        public string DeliveryMethod { get; init; } = "";
        public string? OwnerSubject { get; init; }
        public string? FormJson { get; init; }
        public string? DeadlineKind { get; init; }
        public DateOnly? DeadlineDueBy { get; init; }
        public int? DeadlineProvisional { get; init; }
        public int? DeadlinePausedDays { get; init; }
    }

    private sealed class HistoryRow
    {
        public string Status { get; init; } = "";
        public DateTimeOffset At { get; init; }
        public string? Note { get; init; }
        public string? DocumentTitle { get; init; }
        public string? DocumentNumber { get; init; }
    }
}
