using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Intake.Domain;
using Permits.Intake.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Intake.Features;

/// <summary>
/// The application with every step so far (办件进度). The owner sees everything (NOT_FOUND for another's). Anyone else
/// needs the number and its 查询码 (or the contact phone's last four digits), and sees <see cref="PublicApplication"/>:
/// status, step dates and deadlines, never a note, reason or name. An unknown number and a wrong code answer alike, and
/// guesses are limited per client and per number (<see cref="PublicLookupLimiter"/>). The reviewing officers of the
/// application's county read it as filed (<see cref="ForOfficerAsync"/>), each read in the officer audit.
/// </summary>
public sealed class GetApplication(ServiceDatabase<IntakeModule> database, PublicLookupLimiter limiter, StepRunner<IntakeModule> steps)
{
    private const string SetQueryCodeSql = "UPDATE applications SET query_code_hash = @Hash WHERE id = @Id";

    private const string SelectSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode, request_type AS RequestType,
               holder_type AS HolderType, business_name AS BusinessName, status AS Status, submitted_at AS SubmittedAt,
               decision_due_by AS DecisionDueBy, licence_number AS LicenceNumber, waybill_number AS WaybillNumber,
               delivery_method AS DeliveryMethod, owner_subject AS OwnerSubject, form_json AS FormJson,
               deadline_kind AS DeadlineKind, deadline_due_by AS DeadlineDueBy, promised_decision_due_by AS PromisedDecisionDueBy, deadline_provisional AS DeadlineProvisional,
               deadline_paused_days AS DeadlinePausedDays, contact_phone AS ContactPhone, query_code_hash AS QueryCodeHash
        FROM applications
        """;

    private const string ByIdSql = SelectSql + " WHERE id = @Id";

    private const string CountySql = "SELECT county_code FROM applications WHERE id = @Id";

    private const string ByNumberSql = SelectSql + " WHERE application_number = @Number";

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

    /// <summary>
    /// Everything the owner's view shows beside the row, as one batch: one round trip and, outside a transaction, one
    /// implicit transaction on the server (five autocommitted reads before; a shopkeeper's status page, and the journey
    /// driver's probes, read this again and again).
    /// </summary>
    private const string OwnerDetailsSql =
        HistorySql + ";\n" + Materials.FiledByApplicantSql + ";\n" + OpenCorrectionsSql + ";\n" + RatingSql;

    /// <summary>The owner's application by id and its details in one batch; nothing is answered unless the caller owns it.</summary>
    private const string OwnerByIdSql = ByIdSql + ";\n" + OwnerDetailsSql;

    /// <summary>What a reviewing officer reads beside the row, site photos included.</summary>
    private const string OfficerDetailsSql = HistorySql + ";\n" + Materials.ByApplicationSql + ";\n" + OpenCorrectionsSql;

    /// <summary>The one answer for an unknown number and a wrong code alike: it must not tell them apart.</summary>
    public const string NotFoundOrWrongCode = "未找到该申请，或查询码（手机号后四位）不正确";

    /// <summary>The public view: anyone with the number (or id) and the query code.</summary>
    /// <param name="client">Who is asking (<see cref="PublicLookupLimiter.ClientOf"/>), for the limit on guesses.</param>
    public async Task<PublicApplication> PublicAsync(GetApplicationRequest request, string client, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var hasId = Guid.TryParse(request.ApplicationId, out var id);
        if (request.ApplicationId.Length > 0 && !hasId)
        {
            errors.Add("application_id", "申请编号格式不正确");
        }
        else if (request.ApplicationId.Length == 0 && string.IsNullOrWhiteSpace(request.ApplicationNumber))
        {
            errors.Add("application_number", "请填写申请编号");
        }

        if (string.IsNullOrWhiteSpace(request.QueryCode))
        {
            errors.Add("query_code", "请填写提交申请时取得的查询码，或联系电话的后四位");
        }

        errors.ThrowIfAny();
        var attempt = await limiter.BeginAsync(client, hasId ? "id:" + id.ToString("N") : request.ApplicationNumber, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await FindAsync(connection, request);
        if (row is null || !QueryCodes.Opens(row.Id, row.QueryCodeHash, row.ContactPhone, request.QueryCode))
        {
            throw new RpcException(new Status(StatusCode.NotFound, NotFoundOrWrongCode));
        }

        await attempt.SucceededAsync(cancellationToken);
        var full = await ViewAsync(connection, row, View.Public);
        var reply = new PublicApplication
        {
            ApplicationId = full.ApplicationId,
            ApplicationNumber = full.ApplicationNumber,
            CountyCode = full.CountyCode,
            RequestType = full.RequestType,
            Status = full.Status,
            StatusLabel = full.StatusLabel,
            SubmittedAt = full.SubmittedAt,
            DecisionDueBy = full.DecisionDueBy,
            DeliveryMethod = full.DeliveryMethod,
            NextDeadline = full.NextDeadline,
            NextDeadlineKind = full.NextDeadlineKind,
            NextDeadlineLabel = full.NextDeadlineLabel,
            NextDeadlineProvisional = full.NextDeadlineProvisional,
            DeadlinePaused = full.DeadlinePaused,
            DeadlineRemainingWorkingDays = full.DeadlineRemainingWorkingDays,
        };
        reply.History.AddRange(full.History.Select(h => new PublicStatusStep
        {
            Status = h.Status, Label = h.Label, At = h.At, DocumentTitle = h.DocumentTitle, DocumentNumber = h.DocumentNumber,
        }));
        return reply;
    }

    /// <summary>The owner's own application, everything included; NOT_FOUND for another's.</summary>
    public async Task<Application> HandleAsync(GetApplicationRequest request, string owner, CancellationToken cancellationToken)
    {
        if (request.ApplicationId.Length > 0 && !Guid.TryParse(request.ApplicationId, out _))
        {
            new FieldErrors().Add("application_id", "申请编号格式不正确").ThrowIfAny();
        }
        else if (request.ApplicationId.Length == 0 && request.ApplicationNumber.Length == 0)
        {
            new FieldErrors().Add("application_id", "请提供申请 ID 或申请编号").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        Application reply;
        Guid rowId;
        if (Guid.TryParse(request.ApplicationId, out var id))
        {
            await using var grid = await connection.QueryMultipleAsync(OwnerByIdSql, new { Id = id });
            var row = await grid.ReadSingleOrDefaultAsync<ApplicationRow>();
            rowId = OwnedOrNotFound(row, owner).Id;
            reply = await ReadViewAsync(grid, row!, View.Owner);
        }
        else
        {
            var row = OwnedOrNotFound(await FindAsync(connection, request), owner);
            rowId = row.Id;
            reply = await ViewAsync(connection, row, View.Owner);
        }

        if (request.RenewQueryCode)
        {
            reply.QueryCode = await IssueQueryCodeAsync(connection, null, rowId);
        }

        return reply;
    }

    private static ApplicationRow OwnedOrNotFound(ApplicationRow? row, string owner) =>
        row is not null && row.OwnerSubject == owner ? row : throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));

    /// <summary>
    /// GetCaseApplication: a submitted application as filed (the form, materials, history with notes, open corrections)
    /// for a reviewing officer of its county; the read is audited before anything is shown, another county's refused
    /// (PERMISSION_DENIED) and audited. Drafts are never applications: a draft's id is NOT_FOUND like an unknown one.
    /// </summary>
    public async Task<Application> ForOfficerAsync(GetApplicationRequest request, Officer officer, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.ApplicationId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        }

        var target = StepTarget<ApplicationRow>.Sql(
            id.ToString(), "该申请", "未找到该申请", ByIdSql, CountySql, new { Id = id }, row => row.CountyCode);
        var row = await steps.RunAsync(officer, ApplicantAccess.ReadCaseApplication, target,
            (_, found) => Task.FromResult(new StepResult<ApplicationRow>(found, $"查阅申请 {found.ApplicationNumber} 的申请表、材料和办理记录")),
            cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ViewAsync(connection, row, View.Officer);
    }

    /// <summary>Gives the application a new 查询码 (only its hash is kept) and returns the code.</summary>
    public static async Task<string> IssueQueryCodeAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, Guid applicationId)
    {
        var code = QueryCodes.New();
        await connection.ExecuteAsync(SetQueryCodeSql, new { Hash = QueryCodes.Hash(applicationId, code), Id = applicationId }, transaction);
        return code;
    }

    private static async Task<ApplicationRow?> FindAsync(System.Data.Common.DbConnection connection, GetApplicationRequest request) =>
        Guid.TryParse(request.ApplicationId, out var id)
            ? await connection.QuerySingleOrDefaultAsync<ApplicationRow>(ByIdSql, new { Id = id })
            : await connection.QuerySingleOrDefaultAsync<ApplicationRow>(ByNumberSql, new { Number = request.ApplicationNumber.Trim() });

    /// <summary>Who reads: the public (status and dates only), the owner (everything, and what they may do next), or a reviewing officer (everything as filed).</summary>
    private enum View
    {
        Public,
        Owner,
        Officer,
    }

    /// <summary>Reads what <paramref name="view"/> shows beside the row in one batch, and answers the view.</summary>
    private static async Task<Application> ViewAsync(System.Data.Common.DbConnection connection, ApplicationRow row, View view)
    {
        var sql = view switch
        {
            View.Public => HistorySql,
            View.Owner => OwnerDetailsSql,
            _ => OfficerDetailsSql,
        };
        await using var grid = await connection.QueryMultipleAsync(sql, new { row.Id });
        return await ReadViewAsync(grid, row, view);
    }

    /// <summary>The view from a batch positioned at the history, then (full views) the files and open corrections, then (the owner's) the rating.</summary>
    private static async Task<Application> ReadViewAsync(SqlMapper.GridReader grid, ApplicationRow row, View view)
    {
        var full = view != View.Public;
        var history = await grid.ReadAsync<HistoryRow>();
        var reply = new Application
        {
            ApplicationId = row.Id.ToString(),
            ApplicationNumber = row.ApplicationNumber,
            CountyCode = row.CountyCode,
            RequestType = RequestTypes.Proto(row.RequestType),
            HolderType = HolderTypes.Parse(row.HolderType),
            BusinessName = full ? row.BusinessName : "",
            Status = row.Status,
            StatusLabel = ApplicationStatus.Label(row.Status),
            SubmittedAt = Timestamp.FromDateTimeOffset(row.SubmittedAt),
            DecisionDueBy = ChinaTime.Text(row.DecisionDueBy),
            LicenceNumber = row.LicenceNumber ?? "",
            WaybillNumber = row.WaybillNumber ?? "",
            DeliveryMethod = row.DeliveryMethod == "Courier" ? DeliveryMethod.Courier : DeliveryMethod.Pickup,
            NextDeadline = ChinaTime.Text(row.DeadlineDueBy),
            NextDeadlineKind = row.DeadlineKind ?? "",
            NextDeadlineLabel = ApplicantDeadlines.Label(row.DeadlineKind),
            NextDeadlineProvisional = row.DeadlineProvisional == 1,
            DeadlinePaused = row.DeadlinePausedDays is not null,
            DeadlineRemainingWorkingDays = row.DeadlinePausedDays ?? 0,
            // Only while the decision is what the bureau owes next.
            PromisedDecisionDueBy = row.DeadlineKind == ApplicantDeadlines.Decision ? ChinaTime.Text(row.PromisedDecisionDueBy) : "",
        };
        reply.History.AddRange(history.Select(h => new StatusStep
        {
            Status = h.Status,
            Label = ApplicationStatus.Label(h.Status),
            At = Timestamp.FromDateTimeOffset(h.At),
            Note = full ? h.Note ?? "" : "",
            DocumentTitle = h.DocumentTitle ?? "",
            DocumentNumber = h.DocumentNumber ?? "",
        }));
        if (full)
        {
            reply.Form = FormJson.Read(row.FormJson);
            reply.Materials.AddRange(await Materials.ReadAsync(grid));
            var corrections = (await grid.ReadAsync<CorrectionRow>()).ToList();
            reply.Corrections.AddRange(corrections.Select(c => new CorrectionItem { Material = c.Material, Reason = c.Reason }));
            reply.CorrectionDocumentNumber = corrections.FirstOrDefault()?.DocumentNumber ?? "";
        }

        if (view == View.Owner)
        {
            reply.OwnerView = true;
            reply.CanWithdraw = ApplicationStatus.CanWithdraw(row.Status);
            reply.CanResubmit = row.Status == ApplicationStatus.CorrectionRequested;
            var rating = await grid.ReadSingleOrDefaultAsync<string>();
            reply.Rating = rating is not null && System.Enum.TryParse<RatingLevel>(rating, out var level) ? level : RatingLevel.Unspecified;
            reply.CanRate = rating is null && ApplicationStatus.Concluded(row.Status);
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

        public DateOnly? PromisedDecisionDueBy { get; init; }
        public int? DeadlineProvisional { get; init; }
        public int? DeadlinePausedDays { get; init; }
        public string ContactPhone { get; init; } = "";
        public string? QueryCodeHash { get; init; }
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
