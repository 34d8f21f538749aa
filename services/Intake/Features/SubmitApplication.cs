using System.Data.Common;
using Dapper;
using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Intake.Features;

/// <summary>
/// Submitting an application: the form checked as a whole (<see cref="ApplicationFormValidator"/>), a request on a
/// licence only from its holder, the materials complete; then the application, its first history step,
/// <see cref="ApplicationSubmitted"/> and its disclosure record commit together. A retry with the same client request
/// id returns the first result and changes nothing.
/// </summary>
public sealed class SubmitApplication(
    ServiceDatabase<IntakeModule> database,
    CountyDirectory counties,
    TimeProvider time,
    IConfiguration configuration,
    CountyMaterials requirements,
    ApplicationFormValidator validator,
    ApplicantDeadlines deadlines,
    Security.ILicenceHolders holders)
{
    /// <summary>
    /// <c>Intake:Materials:Required</c> (default true): a signed-in applicant's submission must carry, on its draft, every
    /// material Domain/requirements.json lists for its county and request type. Submissions without an owner (only
    /// possible with Intake:RequireSignIn=false) are not checked.
    /// </summary>
    private bool MaterialsRequired => configuration.GetValue("Intake:Materials:Required", true);

    private const string DraftMaterialKindsSql = """
        SELECT DISTINCT kind FROM application_materials WHERE draft_id = @DraftId AND owner_subject = @Owner
        """;

    private const string FindByRequestSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, status AS Status, owner_subject AS OwnerSubject
        FROM applications WHERE client_request_id = @ClientRequestId
        """;

    private const string DeleteDraftSql = "DELETE FROM application_drafts WHERE id = @Id AND owner_subject = @Owner";

    private const string InsertSql = """
        INSERT INTO applications (
            id, application_number, client_request_id, county_code, request_type, holder_type, business_name,
            credit_code, responsible_person, id_number, premises_address, floor_area, premises_tenure, lease_end_date,
            contact_phone, delivery_method, recipient_name, recipient_phone, delivery_address, status, submitted_at,
            owner_subject, form_json, electronic_service_consent, changed_on, query_code_hash,
            deadline_kind, deadline_due_by, deadline_provisional)
        VALUES (
            @Id, @ApplicationNumber, @ClientRequestId, @CountyCode, @RequestType, @HolderType, @BusinessName,
            @CreditCode, @ResponsiblePerson, @IdNumber, @PremisesAddress, @FloorArea, @PremisesTenure, @LeaseEndDate,
            @ContactPhone, @DeliveryMethod, @RecipientName, @RecipientPhone, @DeliveryAddress, @Status, @SubmittedAt,
            @OwnerSubject, @FormJson, @ElectronicServiceConsent, @ChangedOn, @QueryCodeHash,
            @DeadlineKind, @DeadlineDueBy, @DeadlineProvisional)
        """;

    private const string NumberSql = "UPDATE applications SET application_number = @Number WHERE id = @Id";

    /// <param name="owner">The signed-in applicant's subject; null only when sign-in is not required (Intake:RequireSignIn=false).</param>
    /// <param name="authorization">The applicant's Authorization header, forwarded to Certificate to check a licence's holder.</param>
    public async Task<SubmitApplicationResponse> HandleAsync(
        SubmitApplicationRequest request, string? owner, string? authorization, CancellationToken cancellationToken)
    {
        var form = await validator.ValidateAsync(request, cancellationToken);

        var existing = await FindAsync(form.ClientRequestId, owner, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        if (form.LicenceNumber is not null)
        {
            // A request on a licence only from its holder (checked with Certificate, never accepted unchecked).
            form = form with
            {
                HolderMatch = await holders.RequireHolderAsync(
                    form.LicenceNumber, form.CreditCode, form.IdNumber, owner is null ? null : authorization, cancellationToken),
            };
        }

        try
        {
            return await CreateAsync(form, request, owner, cancellationToken);
        }
        catch (DbException)
        {
            // A concurrent retry of the same form won the race on the unique client request id: answer with its result.
            var winner = await FindAsync(form.ClientRequestId, owner, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }
    }

    private async Task<SubmitApplicationResponse> CreateAsync(ValidForm form, SubmitApplicationRequest request, string? owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var county = counties.Get(form.CountyCode);
        var id = Guid.NewGuid();

        await using var session = await database.BeginAsync(cancellationToken);
        if (owner is not null && MaterialsRequired)
        {
            await CheckMaterialsAsync(session, form, request.DraftId, owner);
        }

        // The county's day serial is a row lock every submission of the county takes: it is drawn last, just before the
        // statements that carry the number and the commit, so submissions wait on each other for those alone. Until
        // then the row holds its id as a number no other can have; no one sees it before the commit.
        var queryCode = QueryCodes.New();
        var row = form.Columns();
        row.AddDynamicParams(new
        {
            Id = id,
            ApplicationNumber = id.ToString("N"),
            form.ClientRequestId,
            form.CountyCode,
            form.RequestType,
            Status = ApplicationStatus.Submitted,
            SubmittedAt = now,
            OwnerSubject = owner,
            ElectronicServiceConsent = form.ElectronicServiceConsent ? 1 : 0,
            form.ChangedOn,
            QueryCodeHash = QueryCodes.Hash(id, queryCode),
        });
        row.AddDynamicParams(deadlines.AcceptanceOf(now));
        await session.ExecuteAsync(InsertSql, row);
        if (owner is not null && Guid.TryParse(request.DraftId, out var draftId))
        {
            await session.ExecuteAsync(Materials.MoveToApplicationSql, new { ApplicationId = id, DraftId = draftId, Owner = owner });
            await session.ExecuteAsync(DeleteDraftSql, new { Id = draftId, Owner = owner });
        }

        await History.AddAsync(session, id, ApplicationStatus.Submitted, now, "申请已提交");

        var number = await ApplicationNumbers.NextAsync(session, county, now);
        await session.ExecuteAsync(NumberSql, new { Number = number, Id = id });
        await session.PublishAsync(new ApplicationSubmitted(
            id, number, county.Code, form.RequestType, form.HolderType, form.BusinessName, form.CreditCode,
            form.ResponsiblePerson, form.PremisesAddress, form.FloorArea, form.LeaseEndDate, form.Delivery, now)
        {
            LicenceNumber = form.LicenceNumber,
            SuspendFrom = form.SuspendFrom,
            SuspendUntil = form.SuspendUntil,
            ChangeItems = form.ChangeItems.Count == 0 ? null : form.ChangeItems,
            HolderIdDigest = Identifiers.HolderIdDigest(form.IdNumber),
            HolderMatch = form.HolderMatch,
            ElectronicServiceConsent = form.ElectronicServiceConsent,
            ChangedOn = form.ChangedOn,
        });
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.ApplicationSubmitted, id, number, county, now,
            $"收到{RequestTypes.Matter(form.RequestType)}申请（{RequestTypes.Label(form.RequestType)}）",
            LicensingDisclosure.ForCase(number, form.RequestType).RequestType(form.RequestType).Fields));
        await session.CommitAsync(cancellationToken);

        return new SubmitApplicationResponse
        {
            ApplicationId = id.ToString(), ApplicationNumber = number, Status = ApplicationStatus.Submitted, QueryCode = queryCode,
        };
    }

    private async Task<SubmitApplicationResponse?> FindAsync(string clientRequestId, string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ExistingRow>(FindByRequestSql, new { ClientRequestId = clientRequestId });
        if (row is not null && row.OwnerSubject != owner)
        {
            // Someone else's form number: say nothing about their application.
            throw new RpcException(new Status(StatusCode.AlreadyExists, "表单请求号已被使用，请刷新页面后重新填写提交"));
        }

        if (row is null)
        {
            return null;
        }

        // Only the hash of the first answer's 查询码 was kept: the retry's answer carries a new one.
        return new SubmitApplicationResponse
        {
            ApplicationId = row.Id.ToString(), ApplicationNumber = row.ApplicationNumber, Status = row.Status,
            QueryCode = await GetApplication.IssueQueryCodeAsync(connection, null, row.Id),
        };
    }

    /// <summary>
    /// 一次告知: every missing material named at once, on the field "materials". Read in the submission's transaction,
    /// where the draft's files then move to the application (two autocommitted reads before).
    /// </summary>
    private async Task CheckMaterialsAsync(DbSession session, ValidForm form, string draftId, string owner)
    {
        var needed = CountyMaterials.Kinds((await requirements.Choices.ForAsync(session, form.CountyCode, form.RequestType)).Required);
        if (needed.Count == 0)
        {
            return;
        }

        var have = new HashSet<string>(StringComparer.Ordinal);
        if (Guid.TryParse(draftId, out var id))
        {
            have.UnionWith(await session.QueryAsync<string>(DraftMaterialKindsSql, new { DraftId = id, Owner = owner }));
        }

        var missing = needed.Where(k => !have.Contains(k.ToString())).Select(MaterialLabels.Label).ToList();
        if (missing.Count > 0)
        {
            new FieldErrors().Add("materials", $"还缺少以下材料，请上传后再提交：{string.Join("、", missing)}").ThrowIfAny();
        }
    }

    private sealed class ExistingRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public string? OwnerSubject { get; init; }
    }
}
