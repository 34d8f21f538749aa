using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
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
    MaterialRequirements requirements,
    FormRequirements fields,
    ApplicantDeadlines deadlines,
    Security.ILicenceHolders holders)
{
    /// <summary>
    /// <c>Intake:Materials:Required</c> (default true): a signed-in applicant's submission must carry, on its draft, every
    /// material Domain/requirements.json lists for its county and request type. Submissions without an owner (only
    /// possible with Intake:RequireSignIn=false) are not checked.
    /// </summary>
    private bool MaterialsRequired => configuration.GetValue("Intake:Materials:Required", true);

    public int RenewalMinDays => RenewalMinDaysBeforeExpiry;

    /// <summary>DOMAIN: 停业 is applied for at least 7 days before it starts, and lasts at most a year.</summary>
    public int SuspendMinDaysBeforeStart => configuration.GetValue("Intake:Suspend:MinDaysBeforeStart", 7);

    public int SuspendMaxDays => configuration.GetValue("Intake:Suspend:MaxDays", 365);

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
    /// <param name="authorization">The applicant's Authorization header, forwarded to Certificate to check a licence's holder.</param>
    public async Task<SubmitApplicationResponse> HandleAsync(
        SubmitApplicationRequest request, string? owner, string? authorization, CancellationToken cancellationToken)
    {
        var form = Validate(request);

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
        var day = ChinaTime.InChina(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var serial = await Counters.NextAsync(session, $"application:{county.Code}:{day}");
        var number = $"{county.Code}-{day}-{serial:D5}";

        var row = form.Columns();
        row.AddDynamicParams(new
        {
            Id = id,
            ApplicationNumber = number,
            form.ClientRequestId,
            form.CountyCode,
            form.RequestType,
            Status = ApplicationStatus.Submitted,
            SubmittedAt = now,
            OwnerSubject = owner,
        });
        await session.ExecuteAsync(InsertSql, row);
        if (owner is not null && Guid.TryParse(request.DraftId, out var draftId))
        {
            await session.ExecuteAsync(Materials.MoveToApplicationSql, new { ApplicationId = id, DraftId = draftId, Owner = owner });
            await session.ExecuteAsync(DeleteDraftSql, new { Id = draftId, Owner = owner });
        }

        await History.AddAsync(session, id, ApplicationStatus.Submitted, now, "申请已提交");
        await deadlines.StartAcceptanceAsync(session, id, now);

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
        });
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.ApplicationSubmitted, id, number, county, now,
            $"收到{Permits.Contracts.Licensing.RequestTypes.Matter(form.RequestType)}申请（{RequestTypes.Label(form.RequestType)}）",
            new Dictionary<string, string>
            {
                ["事项名称"] = Permits.Contracts.Licensing.RequestTypes.Matter(form.RequestType),
                ["申请类型"] = RequestTypes.Label(form.RequestType),
                ["申请编号"] = number,
            }));
        var queryCode = await GetApplication.IssueQueryCodeAsync(session.Connection, session.Transaction, id);
        await session.CommitAsync(cancellationToken);

        return new SubmitApplicationResponse
        {
            ApplicationId = id.ToString(), ApplicationNumber = number, Status = ApplicationStatus.Submitted, QueryCode = queryCode,
        };
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
    /// Every field checked at once against the form of its request type in its county (<see cref="FormRequirements"/>);
    /// throws INVALID_ARGUMENT naming each bad field. A field that form does not ask for is ignored and not kept.
    /// </summary>
    internal Form Validate(SubmitApplicationRequest r)
    {
        var errors = new FieldErrors();
        var today = time.Today();

        var clientRequestId = r.ClientRequestId.Trim();
        if (clientRequestId.Length is 0 or > 64)
        {
            errors.Add("client_request_id", "缺少表单请求号（1–64 个字符），请刷新页面后重试");
        }

        var countyCode = r.CountyCode.Trim();
        County? county = null;
        if (countyCode.Length == 0)
        {
            errors.Add("county_code", "请选择经营场所所在的县（市、区）");
        }
        else if (!counties.TryGet(countyCode, out var known))
        {
            errors.Add("county_code", $"不受理该地区的申请：{Clip(countyCode)} 不是本系统服务的县级行政区划代码");
        }
        else
        {
            county = known;
        }

        var typeKnown = r.RequestType != RequestType.Unspecified && Enum.IsDefined(r.RequestType);
        if (!typeKnown)
        {
            errors.Add("request_type", "请选择申请类型（新办、变更、延续等）");
        }

        // Without a type, the other fields are still checked, as a 新办 would be (every problem named at once).
        var requestType = typeKnown ? r.RequestType : RequestType.New;
        var spec = fields.For(county?.Code ?? "", RequestTypes.Name(requestType));
        bool Asked(string field) => spec[field] != FieldRequirement.NotAsked;
        bool Required(string field) => spec[field] == FieldRequirement.Required;

        var (licenceNumber, licenceValidTo) = ValidateLicence(r, requestType, spec, today, errors);
        var (suspendFrom, suspendUntil) = ValidateSuspension(r, requestType, spec, today, errors);
        var changeItems = ValidateChangeItems(r, spec, errors);

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

        var creditCode = Asked(FormFields.CreditCode) ? r.CreditCode.Trim().ToUpperInvariant() : "";
        if (creditCode.Length == 0 && Required(FormFields.CreditCode))
        {
            errors.Add("credit_code", "请填写统一社会信用代码（18 位，见营业执照）");
        }
        else if (creditCode.Length == 0 && Asked(FormFields.CreditCode) && r.HolderType == HolderType.Enterprise)
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

        var idNumber = Asked(FormFields.IdNumber) ? r.IdNumber.Trim().ToUpperInvariant() : "";
        if (idNumber.Length == 0 && Required(FormFields.IdNumber))
        {
            errors.Add("id_number", "请填写负责人的居民身份证号码");
        }
        else if (idNumber.Length > 0 && !Identifiers.IsValidIdNumber(idNumber, today))
        {
            errors.Add("id_number", "居民身份证号码有误：应为 18 位，地址码和出生日期真实有效，且校验位正确");
        }

        var premisesAddress = Asked(FormFields.PremisesAddress) ? Text(r.PremisesAddress) : "";
        if (premisesAddress.Length == 0 && Required(FormFields.PremisesAddress))
        {
            errors.Add("premises_address", "请填写经营场所地址");
        }
        else if (premisesAddress.Length > 200)
        {
            errors.Add("premises_address", "经营场所地址不能超过 200 个字");
        }
        else if (premisesAddress.Length > 0 && county is not null && OutsideCounty(premisesAddress, county) is { } outside)
        {
            errors.Add("premises_address", outside);
        }

        decimal floorArea = 0;
        var floorText = Asked(FormFields.FloorArea) ? r.FloorArea.Trim() : "";
        if ((floorText.Length > 0 || Required(FormFields.FloorArea))
            && (!decimal.TryParse(floorText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out floorArea)
                || floorArea <= 0 || floorArea > 100_000))
        {
            errors.Add("floor_area", "请填写经营面积（平方米），如 35.5");
        }

        var tenure = Asked(FormFields.PremisesTenure) && Enum.IsDefined(r.PremisesTenure) ? r.PremisesTenure : PremisesTenure.Unspecified;
        if (tenure == PremisesTenure.Unspecified && Required(FormFields.PremisesTenure))
        {
            errors.Add("premises_tenure", "请选择经营场所是自有还是租赁");
        }

        DateOnly? leaseEnd = null;
        var leaseText = tenure == PremisesTenure.Leased && Asked(FormFields.LeaseEndDate) ? r.LeaseEndDate.Trim() : "";
        if (leaseText.Length > 0 || (tenure == PremisesTenure.Leased && Required(FormFields.LeaseEndDate)))
        {
            if (!DateOnly.TryParseExact(leaseText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            {
                errors.Add("lease_end_date", "请填写租赁到期日，格式如 2028-06-30");
            }
            else if (end <= today)
            {
                errors.Add("lease_end_date", "租赁已到期：到期日须晚于今天");
            }
            else if (end > today.AddYears(100))
            {
                errors.Add("lease_end_date", "租赁到期日有误，请核对年份");
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

        var kept = r.Clone();
        kept.DraftId = "";
        kept.ClientRequestId = clientRequestId;
        kept.LicenceNumber = licenceNumber ?? "";
        kept.LicenceValidTo = Asked(FormFields.LicenceValidTo) ? kept.LicenceValidTo : "";
        kept.SuspendFrom = Asked(FormFields.SuspendFrom) ? kept.SuspendFrom : "";
        kept.SuspendUntil = Asked(FormFields.SuspendUntil) ? kept.SuspendUntil : "";
        kept.ChangeItems.Clear();
        kept.ChangeItems.AddRange(changeItems);
        kept.CreditCode = Asked(FormFields.CreditCode) ? kept.CreditCode : "";
        kept.IdNumber = Asked(FormFields.IdNumber) ? kept.IdNumber : "";
        kept.PremisesAddress = Asked(FormFields.PremisesAddress) ? kept.PremisesAddress : "";
        kept.FloorArea = Asked(FormFields.FloorArea) ? kept.FloorArea : "";
        kept.PremisesTenure = tenure;
        kept.LeaseEndDate = leaseEnd is null ? "" : kept.LeaseEndDate;

        return new Form(
            clientRequestId, countyCode, RequestTypes.Name(r.RequestType), HolderTypes.Name(r.HolderType), businessName,
            creditCode.Length == 0 ? null : creditCode, responsiblePerson, idNumber, premisesAddress, floorArea,
            tenure switch { PremisesTenure.Leased => "Leased", PremisesTenure.Owned => "Owned", _ => "" },
            leaseEnd, contactPhone, delivery!, licenceNumber, licenceValidTo, suspendFrom, suspendUntil,
            changeItems.Select(c => c.ToString()).ToList(), kept);
    }

    /// <summary>
    /// The licence held now (every type but 新办 by default); 延续 only inside the renewal window
    /// (<c>Intake:Renewal:MinDaysBeforeExpiry</c>).
    /// </summary>
    private (string? Number, DateOnly? ValidTo) ValidateLicence(
        SubmitApplicationRequest r, RequestType type, IReadOnlyDictionary<string, FieldRequirement> spec, DateOnly today, FieldErrors errors)
    {
        string? number = null;
        if (spec[FormFields.LicenceNumber] != FieldRequirement.NotAsked)
        {
            var given = r.LicenceNumber.Trim();
            if (given.Length == 0 && spec[FormFields.LicenceNumber] == FieldRequirement.Required)
            {
                errors.Add("licence_number", "请填写现持有的烟草专卖零售许可证号（12 位数字）");
            }
            else if (given.Length > 0 && !LicenceNumber().IsMatch(given))
            {
                errors.Add("licence_number", "许可证号有误：应为 12 位数字，见许可证正本");
            }
            else if (given.Length > 0)
            {
                number = given;
            }
        }

        var required = spec[FormFields.LicenceValidTo] == FieldRequirement.Required;
        var text = spec[FormFields.LicenceValidTo] == FieldRequirement.NotAsked ? "" : r.LicenceValidTo.Trim();
        if (text.Length == 0 && !required)
        {
            return (number, null);
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var validTo))
        {
            errors.Add("licence_valid_to", "请填写许可证有效期截止日，格式如 2027-06-30");
            return (number, null);
        }

        if (validTo > today.AddYears(5))
        {
            // DOMAIN: a licence is valid for at most 5 years from issue.
            errors.Add("licence_valid_to", "许可证有效期最长 5 年，该截止日有误，请对照许可证核对");
            return (number, null);
        }

        if (type != RequestType.Renewal)
        {
            return (number, validTo);
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

        return (number, validTo);
    }

    /// <summary>
    /// 停业: the period, starting at least <c>Intake:Suspend:MinDaysBeforeStart</c> (7) days after the application and
    /// lasting at most <c>Intake:Suspend:MaxDays</c> (365) days.
    /// </summary>
    private (DateOnly? From, DateOnly? Until) ValidateSuspension(
        SubmitApplicationRequest r, RequestType type, IReadOnlyDictionary<string, FieldRequirement> spec, DateOnly today, FieldErrors errors)
    {
        DateOnly? Date(string field, string value, string missing, string example)
        {
            var text = spec[field] == FieldRequirement.NotAsked ? "" : value.Trim();
            if (text.Length == 0)
            {
                if (spec[field] == FieldRequirement.Required)
                {
                    errors.Add(field, missing);
                }

                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors.Add(field, $"日期有误，格式如 {example}");
            return null;
        }

        var from = Date(FormFields.SuspendFrom, r.SuspendFrom, "请填写停业起始日", today.AddDays(SuspendMinDaysBeforeStart).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var until = Date(FormFields.SuspendUntil, r.SuspendUntil, "请填写停业截止日", today.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (type == RequestType.Suspend && from is { } start && start < today.AddDays(SuspendMinDaysBeforeStart))
        {
            errors.Add(FormFields.SuspendFrom,
                $"停业须提前 {SuspendMinDaysBeforeStart} 日申请：停业起始日最早为 {today.AddDays(SuspendMinDaysBeforeStart):yyyy-MM-dd}");
            from = null;
        }

        if (from is { } first && until is { } last)
        {
            if (last < first)
            {
                errors.Add(FormFields.SuspendUntil, "停业截止日不能早于起始日");
            }
            else if (last > first.AddDays(SuspendMaxDays - 1))
            {
                errors.Add(FormFields.SuspendUntil, $"停业期限最长 {SuspendMaxDays} 天：截止日最迟为 {first.AddDays(SuspendMaxDays - 1):yyyy-MM-dd}");
            }
        }

        return (from, until);
    }

    /// <summary>变更: what changed, each item once; at least one when the form requires it.</summary>
    private static List<ChangeItem> ValidateChangeItems(
        SubmitApplicationRequest r, IReadOnlyDictionary<string, FieldRequirement> spec, FieldErrors errors)
    {
        if (spec[FormFields.ChangeItems] == FieldRequirement.NotAsked)
        {
            return [];
        }

        if (r.ChangeItems.Any(c => c == ChangeItem.Unspecified || !Enum.IsDefined(c)))
        {
            errors.Add(FormFields.ChangeItems, "变更事项有误，请从所列事项中选择");
            return [];
        }

        var items = r.ChangeItems.Distinct().Order().ToList();
        if (items.Count == 0 && spec[FormFields.ChangeItems] == FieldRequirement.Required)
        {
            errors.Add(FormFields.ChangeItems, "请选择变更事项：企业名称、负责人、经营场所地址名称或其他（可多选）");
        }

        return items;
    }

    /// <summary>
    /// The premises must lie in the county chosen: the address names that county or one of its towns (乡镇、街道),
    /// and no other county this system serves. Null when it does.
    /// </summary>
    private string? OutsideCounty(string address, County county)
    {
        var elsewhere = counties.All
            .Where(c => c.Code != county.Code)
            .FirstOrDefault(c => address.Contains(c.Name, StringComparison.Ordinal)
                                 || fields.Towns(c.Code).Any(t => address.Contains(t, StringComparison.Ordinal)));
        if (elsewhere is not null)
        {
            return $"该地址在{elsewhere.Name}，不在所选的{county.Name}：请改选“所在县（市、区）”，或改正地址";
        }

        var towns = fields.Towns(county.Code);
        if (address.Contains(county.Name, StringComparison.Ordinal) || towns.Any(t => address.Contains(t, StringComparison.Ordinal)))
        {
            return null;
        }

        return towns.Count == 0
            ? $"经营场所须在{county.Name}境内：请在地址中写明“{county.Name}”"
            : $"经营场所须在{county.Name}境内：请写明所在乡镇（街道），如“{county.Name}{towns[0]}××路 18 号”";
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

    /// <param name="Kept">The form as it is kept (form_json): as posted, less the fields its form does not ask for.</param>
    internal sealed record Form(
        string ClientRequestId, string CountyCode, string RequestType, string HolderType, string BusinessName,
        string? CreditCode, string ResponsiblePerson, string IdNumber, string PremisesAddress, decimal FloorArea,
        string PremisesTenure, DateOnly? LeaseEndDate, string ContactPhone, DeliveryChoice Delivery,
        string? LicenceNumber, DateOnly? LicenceValidTo, DateOnly? SuspendFrom, DateOnly? SuspendUntil,
        IReadOnlyList<string> ChangeItems, SubmitApplicationRequest Kept)
    {
        /// <summary>A request on a licence: how Certificate matched the applicant to its holder (CreditCode or IdNumber).</summary>
        public string? HolderMatch { get; init; }

        /// <summary>The applications columns the applicant's form fills, as parameters (submit and resubmit alike).</summary>
        public DynamicParameters Columns()
        {
            var columns = new DynamicParameters();
            columns.AddDynamicParams(new
            {
                HolderType,
                BusinessName,
                CreditCode,
                ResponsiblePerson,
                IdNumber,
                PremisesAddress,
                FloorArea,
                PremisesTenure,
                LeaseEndDate,
                ContactPhone,
                DeliveryMethod = Delivery.Method.ToString(),
                Delivery.RecipientName,
                Delivery.RecipientPhone,
                DeliveryAddress = Delivery.Address,
                FormJson = FormJson.Write(Kept),
            });
            return columns;
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
