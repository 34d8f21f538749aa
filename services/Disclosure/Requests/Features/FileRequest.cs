using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Requests;

/// <summary>
/// Files a request (no sign-in): validated field by field, numbered per county and year without gaps, the clock
/// started from the day of receipt. The query code returned is the requester's key to follow it. Idempotent by the
/// client's request id.
/// </summary>
public sealed partial class FileRequest(
    ServiceDatabase<DisclosureModule> database,
    CountyDirectory counties,
    RequestClock clock,
    TimeProvider time)
{
    private const string QueryCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public async Task<FiledInformationRequest> HandleAsync(FileInformationRequest request, CancellationToken ct)
    {
        var valid = Validate(request);
        var fingerprint = Fingerprint(valid);
        try
        {
            return await InsertAsync(valid, fingerprint, ct);
        }
        catch (DbException)
        {
            // Two submissions with one client id at once: the loser finds the winner's row.
            await using var session = await database.BeginAsync(ct);
            if (await session.QuerySingleOrDefaultAsync<RequestRow>(RequestStore.LoadByClientIdSql, new { valid.ClientRequestId }) is { } row)
            {
                return await ReplayAsync(session, row, fingerprint);
            }

            throw;
        }
    }

    private async Task<FiledInformationRequest> InsertAsync(RequestRow valid, string fingerprint, CancellationToken ct)
    {
        await using var session = await database.BeginAsync(ct);
        if (await session.QuerySingleOrDefaultAsync<RequestRow>(RequestStore.LoadByClientIdSql, new { valid.ClientRequestId }) is { } existing)
        {
            return await ReplayAsync(session, existing, fingerprint);
        }

        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var due = clock.AnswerDue(today);
        var serial = await Counters.NextAsync(session, $"disclosure-request:{valid.CountyCode}:{today.Year}");
        var row = valid with
        {
            Id = Guid.NewGuid(),
            RequestNumber = $"YSQ-{valid.CountyCode}-{today.Year}-{serial:D5}",
            Fingerprint = fingerprint,
            QueryCode = NewQueryCode(),
            State = nameof(RequestState.Received),
            FiledAt = now,
            FiledOn = today,
            ClockStartedOn = today,
            DueOn = due.Date,
            DueProvisional = due.Provisional ? 1 : 0,
            CorrectionNoticeDueOn = clock.CorrectionNoticeDue(today).Date,
            Version = 1,
        };
        await session.ExecuteAsync(RequestStore.InsertSql, row);
        await RequestStore.AddStepAsync(session, row.Id, row.Version, now, RequestSteps.RequesterActor, "申请人", RequestSteps.Filed,
            $"收到申请，应于 {ChinaTime.Text(due.Date)} 前答复");
        var (steps, appeals) = await RequestStore.DetailsAsync(session, row.Id);
        await session.CommitAsync(ct);
        return new FiledInformationRequest
        {
            RequestNumber = row.RequestNumber,
            QueryCode = row.QueryCode,
            Request = RequestViews.ToView(row, steps, appeals, counties, forClerk: false),
        };
    }

    private async Task<FiledInformationRequest> ReplayAsync(DbSession session, RequestRow existing, string fingerprint)
    {
        if (!string.Equals(existing.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "该提交编号（client_request_id）已用于另一份申请，请重新填写后提交"));
        }

        var (steps, appeals) = await RequestStore.DetailsAsync(session, existing.Id);
        return new FiledInformationRequest
        {
            RequestNumber = existing.RequestNumber,
            QueryCode = existing.QueryCode,
            Request = RequestViews.ToView(existing, steps, appeals, counties, forClerk: false),
        };
    }

    /// <summary>Everything the requester gave, checked and normalised; nothing is stored unless all of it is right.</summary>
    private RequestRow Validate(FileInformationRequest request)
    {
        var errors = new FieldErrors();
        var requester = request.Requester ?? new InformationRequester();
        var clientId = request.ClientRequestId.Trim();
        if (clientId.Length is 0 or > 64)
        {
            errors.Add("client_request_id", "缺少提交编号（1–64 个字符），请刷新页面后重新提交");
        }

        var countyCode = request.CountyCode.Trim();
        if (!counties.TryGet(countyCode, out _))
        {
            errors.Add("county_code", "请选择受理申请的县（市、区）烟草专卖局");
        }

        var hasCategory = RequestTerms.TryParse<ApplicantCategory>(requester.Category, out var category);
        if (!hasCategory)
        {
            errors.Add("requester.category", "请选择申请人类型（自然人，或法人及其他组织的类别）");
        }

        var name = requester.Name.Trim();
        if (name.Length is 0 or > 100)
        {
            errors.Add("requester.name", hasCategory && category != ApplicantCategory.NaturalPerson
                ? "请填写单位名称（不超过 100 个字）"
                : "请填写申请人姓名（不超过 100 个字）");
        }

        string? idNumber = null;
        string? creditCode = null;
        if (hasCategory && category == ApplicantCategory.NaturalPerson)
        {
            idNumber = requester.IdNumber.Trim().ToUpperInvariant();
            if (!Identifiers.IsValidIdNumber(idNumber, ChinaTime.Today(time)))
            {
                errors.Add("requester.id_number", "身份证号码不正确：应为 18 位，地址码和出生日期真实有效且校验位正确");
            }
        }
        else if (hasCategory)
        {
            creditCode = requester.CreditCode.Trim().ToUpperInvariant();
            if (!Identifiers.IsValidCreditCode(creditCode))
            {
                errors.Add("requester.credit_code", "统一社会信用代码不正确：应为 18 位且校验位正确");
            }
        }

        var contactName = Optional(requester.ContactName);
        if (contactName is { Length: > 50 })
        {
            errors.Add("requester.contact_name", "联系人姓名不能超过 50 个字");
        }

        var phone = requester.Phone.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (!Mobile().IsMatch(phone) && !Landline().IsMatch(phone))
        {
            errors.Add("requester.phone", "请填写有效的联系电话（11 位手机号码，或带区号的固定电话）");
        }

        var email = Optional(requester.Email);
        if (email is not null && (email.Length > 200 || !Email().IsMatch(email)))
        {
            errors.Add("requester.email", "电子邮箱格式不正确");
        }

        var address = Optional(requester.Address);
        if (address is { Length: > 300 })
        {
            errors.Add("requester.address", "通信地址不能超过 300 个字");
        }

        var description = request.Description.Trim();
        if (description.Length < 5 || description.Length > 4000)
        {
            errors.Add("description", "请描述所需政府信息的名称、文号或便于查询的特征（5–4000 个字）");
        }

        if (!RequestTerms.TryParse<InformationForm>(request.PreferredForm, out var form))
        {
            errors.Add("preferred_form", "请选择获取信息的形式（纸质或电子数据）");
        }

        if (!RequestTerms.TryParse<DeliveryMethod>(request.DeliveryMethod, out var delivery))
        {
            errors.Add("delivery_method", "请选择获取信息的方式");
        }
        else if (delivery == DeliveryMethod.Post && address is null)
        {
            errors.Add("requester.address", "选择邮寄时请填写通信地址");
        }
        else if (delivery == DeliveryMethod.Email && email is null)
        {
            errors.Add("requester.email", "选择电子邮件时请填写电子邮箱");
        }

        errors.ThrowIfAny();
        return new RequestRow
        {
            ClientRequestId = clientId,
            CountyCode = countyCode,
            Category = category.ToString(),
            RequesterName = name,
            IdNumber = idNumber,
            CreditCode = creditCode,
            ContactName = contactName,
            Phone = phone,
            Email = email,
            Address = address,
            Description = description,
            PreferredForm = form.ToString(),
            DeliveryMethod = delivery.ToString(),
        };
    }

    private static string? Optional(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>What makes two submissions the same request (so a retry is recognised and a reuse is not).</summary>
    private static string Fingerprint(RequestRow r)
    {
        var text = string.Join('\u001f', r.CountyCode, r.Category, r.RequesterName, r.IdNumber, r.CreditCode, r.ContactName,
            r.Phone, r.Email, r.Address, r.Description, r.PreferredForm, r.DeliveryMethod);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string NewQueryCode() => RandomNumberGenerator.GetString(QueryCodeAlphabet, 8);

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{2,3}-?\d{7,8}$")]
    private static partial Regex Landline();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
