using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Permits.Contracts;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using ContractDeliveryMethod = Permits.Contracts.DeliveryMethod;
using ProtoDeliveryMethod = Permits.Contracts.Intake.V1.DeliveryMethod;
using DeliveryChoice = Permits.Contracts.DeliveryChoice;

namespace Permits.Intake.Features;

/// <summary>
/// Submitting an application: every field checked at once (each error names its field, in Chinese), then the
/// application, its first history step, <see cref="ApplicationSubmitted"/> and its disclosure record commit together.
/// A retry with the same client request id returns the first result and changes nothing.
/// </summary>
public sealed partial class SubmitApplication(
    ServiceDatabase<IntakeModule> database,
    CountyDirectory counties,
    TimeProvider time,
    IConfiguration configuration,
    MaterialRequirements requirements)
{
    /// <summary>
    /// <c>Intake:Materials:Required</c> (default true): a signed-in applicant's submission must carry, on its draft, every
    /// material Domain/requirements.json lists for its county and request type. Submissions without an owner (only
    /// possible with Intake:RequireSignIn=false) are not checked.
    /// </summary>
    private bool MaterialsRequired => configuration.GetValue("Intake:Materials:Required", true);

    public int RenewalMinDays => RenewalMinDaysBeforeExpiry;

    private const string DraftMaterialKindsSql = """
        SELECT DISTINCT kind FROM application_materials WHERE draft_id = @DraftId AND owner_subject = @Owner
        """;

    /// <summary>DOMAIN: a renewal (延续) must be applied for at least this many days before the licence expires.</summary>
    private int RenewalMinDaysBeforeExpiry => configuration.GetValue("Intake:Renewal:MinDaysBeforeExpiry", 30);

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
            owner_subject, form_json)
        VALUES (
            @Id, @ApplicationNumber, @ClientRequestId, @CountyCode, @RequestType, @HolderType, @BusinessName,
            @CreditCode, @ResponsiblePerson, @IdNumber, @PremisesAddress, @FloorArea, @PremisesTenure, @LeaseEndDate,
            @ContactPhone, @DeliveryMethod, @RecipientName, @RecipientPhone, @DeliveryAddress, @Status, @SubmittedAt,
            @OwnerSubject, @FormJson)
        """;

    /// <param name="owner">The signed-in applicant's subject; null only when sign-in is not required (Intake:RequireSignIn=false).</param>
    public async Task<SubmitApplicationResponse> HandleAsync(SubmitApplicationRequest request, string? owner, CancellationToken cancellationToken)
    {
        var form = Validate(request);

        var existing = await FindAsync(form.ClientRequestId, owner, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        if (owner is not null && MaterialsRequired)
        {
            await CheckMaterialsAsync(form, request.DraftId, owner, cancellationToken);
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

    private async Task<SubmitApplicationResponse> CreateAsync(Form form, SubmitApplicationRequest request, string? owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var county = counties.Get(form.CountyCode);
        var id = Guid.NewGuid();

        await using var session = await database.BeginAsync(cancellationToken);
        var day = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var serial = await Counters.NextAsync(session, $"application:{county.Code}:{day}");
        var number = $"{county.Code}-{day}-{serial:D5}";

        await session.ExecuteAsync(InsertSql, new
        {
            Id = id,
            ApplicationNumber = number,
            form.ClientRequestId,
            form.CountyCode,
            form.RequestType,
            form.HolderType,
            form.BusinessName,
            form.CreditCode,
            form.ResponsiblePerson,
            form.IdNumber,
            form.PremisesAddress,
            form.FloorArea,
            form.PremisesTenure,
            form.LeaseEndDate,
            form.ContactPhone,
            DeliveryMethod = form.Delivery.Method.ToString(),
            form.Delivery.RecipientName,
            form.Delivery.RecipientPhone,
            DeliveryAddress = form.Delivery.Address,
            Status = ApplicationStatus.Submitted,
            SubmittedAt = now,
            OwnerSubject = owner,
            FormJson = FormJson.Write(request),
        });
        if (owner is not null && Guid.TryParse(request.DraftId, out var draftId))
        {
            await session.ExecuteAsync(Materials.MoveToApplicationSql, new { ApplicationId = id, DraftId = draftId, Owner = owner });
            await session.ExecuteAsync(DeleteDraftSql, new { Id = draftId, Owner = owner });
        }

        await History.AddAsync(session, id, ApplicationStatus.Submitted, now, "申请已提交");

        await session.PublishAsync(new ApplicationSubmitted(
            id, number, county.Code, form.RequestType, form.HolderType, form.BusinessName, form.CreditCode,
            form.ResponsiblePerson, form.PremisesAddress, form.FloorArea, form.LeaseEndDate, form.Delivery, now));
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.ApplicationSubmitted, id, number, county, now,
            $"收到{Disclosures.Matter}申请（{RequestTypes.Label(form.RequestType)}）",
            new Dictionary<string, string>
            {
                ["事项名称"] = Disclosures.Matter,
                ["申请类型"] = RequestTypes.Label(form.RequestType),
                ["申请编号"] = number,
            }));
        await session.CommitAsync(cancellationToken);

        return new SubmitApplicationResponse { ApplicationId = id.ToString(), ApplicationNumber = number, Status = ApplicationStatus.Submitted };
    }

    private async Task<SubmitApplicationResponse?> FindAsync(string clientRequestId, string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<ExistingRow>(connection, FindByRequestSql, new { ClientRequestId = clientRequestId });
        if (row is not null && row.OwnerSubject != owner)
        {
            // Someone else's form number: say nothing about their application.
            throw new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.AlreadyExists, "表单请求号已被使用，请刷新页面后重新填写提交"));
        }

        return row is null
            ? null
            : new SubmitApplicationResponse { ApplicationId = row.Id.ToString(), ApplicationNumber = row.ApplicationNumber, Status = row.Status };
    }

    /// <summary>Every field checked at once; throws INVALID_ARGUMENT naming each bad field.</summary>
    internal Form Validate(SubmitApplicationRequest r)
    {
        var errors = new FieldErrors();
        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

        var clientRequestId = r.ClientRequestId.Trim();
        if (clientRequestId.Length is 0 or > 64)
        {
            errors.Add("client_request_id", "缺少表单请求号（1–64 个字符），请刷新页面后重试");
        }

        var countyCode = r.CountyCode.Trim();
        if (countyCode.Length == 0)
        {
            errors.Add("county_code", "请选择经营场所所在的县（市、区）");
        }
        else if (!counties.TryGet(countyCode, out _))
        {
            errors.Add("county_code", $"不受理该地区的申请：{Clip(countyCode)} 不是本系统服务的县级行政区划代码");
        }

        if (r.RequestType == RequestType.Unspecified || !Enum.IsDefined(r.RequestType))
        {
            errors.Add("request_type", "请选择申请类型（新办、变更、延续等）");
        }

        ValidateLicence(r, today, errors);

        if (r.HolderType == HolderType.Unspecified || !Enum.IsDefined(r.HolderType))
        {
            errors.Add("holder_type", "请选择主体类型：个体工商户或企业");
        }

        var businessName = Text(r.BusinessName);
        if (businessName.Length == 0)
        {
            errors.Add("business_name", "请填写企业名称或字号");
        }
        else if (businessName.Length > 100)
        {
            errors.Add("business_name", "企业名称或字号不能超过 100 个字");
        }

        var creditCode = r.CreditCode.Trim().ToUpperInvariant();
        if (creditCode.Length == 0 && r.HolderType == HolderType.Enterprise)
        {
            errors.Add("credit_code", "企业须填写统一社会信用代码");
        }
        else if (creditCode.Length > 0 && !Identifiers.IsValidCreditCode(creditCode))
        {
            errors.Add("credit_code", "统一社会信用代码有误：应为 18 位，且校验位正确");
        }

        var responsiblePerson = Text(r.ResponsiblePerson);
        if (responsiblePerson.Length == 0)
        {
            errors.Add("responsible_person", "请填写负责人（经营者）姓名");
        }
        else if (responsiblePerson.Length > 50)
        {
            errors.Add("responsible_person", "负责人姓名不能超过 50 个字");
        }

        var idNumber = r.IdNumber.Trim().ToUpperInvariant();
        if (idNumber.Length == 0)
        {
            errors.Add("id_number", "请填写负责人的居民身份证号码");
        }
        else if (!Identifiers.IsValidIdNumber(idNumber))
        {
            errors.Add("id_number", "居民身份证号码有误：应为 18 位，出生日期有效，且校验位正确");
        }

        var premisesAddress = Text(r.PremisesAddress);
        if (premisesAddress.Length == 0)
        {
            errors.Add("premises_address", "请填写经营场所地址");
        }
        else if (premisesAddress.Length > 200)
        {
            errors.Add("premises_address", "经营场所地址不能超过 200 个字");
        }

        decimal floorArea = 0;
        if (!decimal.TryParse(r.FloorArea.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out floorArea)
            || floorArea <= 0 || floorArea > 100_000)
        {
            errors.Add("floor_area", "请填写经营面积（平方米），如 35.5");
        }

        if (r.PremisesTenure == PremisesTenure.Unspecified || !Enum.IsDefined(r.PremisesTenure))
        {
            errors.Add("premises_tenure", "请选择经营场所是自有还是租赁");
        }

        DateOnly? leaseEnd = null;
        if (r.PremisesTenure == PremisesTenure.Leased)
        {
            if (!DateOnly.TryParseExact(r.LeaseEndDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            {
                errors.Add("lease_end_date", "请填写租赁到期日，格式如 2028-06-30");
            }
            else if (end <= today)
            {
                errors.Add("lease_end_date", "租赁已到期：到期日须晚于今天");
            }
            else
            {
                leaseEnd = end;
            }
        }

        var contactPhone = r.ContactPhone.Trim();
        if (!PhoneNumber().IsMatch(contactPhone))
        {
            errors.Add("contact_phone", "请填写 11 位手机号码或带区号的固定电话");
        }

        var delivery = ValidateDelivery(r.Delivery, errors);
        errors.ThrowIfAny();

        return new Form(
            clientRequestId, countyCode, RequestTypes.Name(r.RequestType), HolderTypes.Name(r.HolderType), businessName,
            creditCode.Length == 0 ? null : creditCode, responsiblePerson, idNumber, premisesAddress, floorArea,
            r.PremisesTenure == PremisesTenure.Leased ? "Leased" : "Owned", leaseEnd, contactPhone, delivery!);
    }

    /// <summary>一次告知: every missing material named at once, on the field "materials".</summary>
    private async Task CheckMaterialsAsync(Form form, string draftId, string owner, CancellationToken cancellationToken)
    {
        var needed = requirements.Materials(form.CountyCode, form.RequestType);
        if (needed.Count == 0)
        {
            return;
        }

        var have = new HashSet<string>(StringComparer.Ordinal);
        if (Guid.TryParse(draftId, out var id))
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            have.UnionWith(await Dapper.SqlMapper.QueryAsync<string>(connection, DraftMaterialKindsSql, new { DraftId = id, Owner = owner }));
        }

        var missing = needed.Where(k => !have.Contains(k.ToString())).Select(MaterialLabels.Label).ToList();
        if (missing.Count > 0)
        {
            new FieldErrors().Add("materials", $"还缺少以下材料，请上传后再提交：{string.Join("、", missing)}").ThrowIfAny();
        }
    }

    /// <summary>Every request but 新办 concerns a licence the shopkeeper holds; 延续 only inside the renewal window.</summary>
    private void ValidateLicence(SubmitApplicationRequest r, DateOnly today, FieldErrors errors)
    {
        if (r.RequestType is RequestType.Unspecified or RequestType.New || !Enum.IsDefined(r.RequestType))
        {
            return;
        }

        var number = r.LicenceNumber.Trim();
        if (!LicenceNumber().IsMatch(number))
        {
            errors.Add("licence_number", "请填写现持有的烟草专卖零售许可证号（12 位数字）");
        }

        if (r.RequestType != RequestType.Renewal)
        {
            return;
        }

        if (!DateOnly.TryParseExact(r.LicenceValidTo.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var validTo))
        {
            errors.Add("licence_valid_to", "请填写许可证有效期截止日，格式如 2027-06-30");
            return;
        }

        var latest = validTo.AddDays(-RenewalMinDaysBeforeExpiry);
        if (validTo < today)
        {
            errors.Add("licence_valid_to", $"许可证已于 {validTo:yyyy-MM-dd} 到期，不能再申请延续，请申请新办");
        }
        else if (today > latest)
        {
            errors.Add("licence_valid_to",
                $"延续须在许可证有效期届满 {RenewalMinDaysBeforeExpiry} 日前提出：您的许可证 {validTo:yyyy-MM-dd} 到期，最迟应于 {latest:yyyy-MM-dd} 申请。请申请新办");
        }
    }

    private static DeliveryChoice? ValidateDelivery(Permits.Contracts.Intake.V1.DeliveryChoice? choice, FieldErrors errors)
    {
        if (choice is null || choice.Method == ProtoDeliveryMethod.Unspecified || !Enum.IsDefined(choice.Method))
        {
            errors.Add("delivery.method", "请选择领取方式：快递到家或窗口自取");
            return null;
        }

        var name = Text(choice.RecipientName);
        var phone = choice.RecipientPhone.Trim();
        var address = Text(choice.Address);
        if (name.Length is 0 or > 50)
        {
            errors.Add("delivery.recipient_name", "请填写收件人（领取人）姓名");
        }

        if (!PhoneNumber().IsMatch(phone))
        {
            errors.Add("delivery.recipient_phone", "请填写收件人的 11 位手机号码或带区号的固定电话");
        }

        if (choice.Method == ProtoDeliveryMethod.Courier && address.Length is 0 or > 200)
        {
            errors.Add("delivery.address", "快递到家须填写收件地址（不超过 200 个字）");
        }

        return new DeliveryChoice(
            choice.Method == ProtoDeliveryMethod.Courier ? ContractDeliveryMethod.Courier : ContractDeliveryMethod.Pickup,
            name, phone, choice.Method == ProtoDeliveryMethod.Courier ? address : null);
    }

    /// <summary>Trims and removes control characters; markup stays as typed text and is encoded wherever it is shown.</summary>
    private static string Text(string value) => new(value.Trim().Where(c => !char.IsControl(c)).ToArray());

    private static string Clip(string value) => value.Length <= 12 ? value : value[..12] + "…";

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex LicenceNumber();

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex PhoneNumber();

    internal sealed record Form(
        string ClientRequestId, string CountyCode, string RequestType, string HolderType, string BusinessName,
        string? CreditCode, string ResponsiblePerson, string IdNumber, string PremisesAddress, decimal FloorArea,
        string PremisesTenure, DateOnly? LeaseEndDate, string ContactPhone, DeliveryChoice Delivery);

    private sealed class ExistingRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public string? OwnerSubject { get; init; }
    }
}
