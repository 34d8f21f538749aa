using System.Collections.Concurrent;
using Dapper;
using Grpc.Core;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;

namespace Permits.Certificate.Features;

/// <summary>
/// Whether the identifiers an applicant gives name a licence's holder (a request on a licence — 补办, 注销, 变更, 延续,
/// 停业, 恢复营业, 歇业 — must come from its holder; Intake asks at submission). The holder is identified by the licence's
/// 统一社会信用代码, or, for an individual business without one (or an individual business whose applicant gives only
/// the ID number), by the 负责人's 身份证号 of the application the licence was issued for, kept as a digest
/// (<see cref="Identifiers.HolderIdDigest"/>) — for an imported licence, the one the register gave. Identifiers are compared normalised (whitespace, case of x).
/// <para>
/// Not an oracle: the answer is only match or no match for identifiers the caller already has, to a signed-in applicant
/// (Intake forwards the applicant's token) or an officer of the licence's county; an applicant gets at most
/// <see cref="MaxMisses"/> no-matches an hour, so an ID number cannot be guessed through it. Anyone else:
/// PERMISSION_DENIED, decided from the licence number's county before anything is read.
/// </para>
/// </summary>
public sealed class CheckHolder(ServiceDatabase<CertificateModule> database, TimeProvider time)
{
    public const int MaxMisses = 10;

    private static readonly TimeSpan MissWindow = TimeSpan.FromHours(1);

    /// <summary>No-match answers per applicant (token subject), oldest first; per service instance (a singleton), which bounds guessing well enough.</summary>
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _misses = new(StringComparer.Ordinal);

    private const string HolderSql = """
        SELECT c.county_code AS CountyCode, c.holder_type AS HolderType, c.credit_code AS CreditCode,
               COALESCE(r.holder_id_digest, c.holder_id_digest) AS HolderIdDigest
        FROM certificates c LEFT JOIN licence_requests r ON r.application_id = c.application_id
        WHERE c.licence_number = @LicenceNumber
        """;

    public async Task<CheckHolderResponse> HandleAsync(CheckHolderRequest request, CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录"));
        }

        var number = (request.LicenceNumber ?? "").Trim();
        var countyOfNumber = number.Length == 12 ? number[..6] : "";
        var applicant = caller.IsInRole(PermitsRoles.Applicant) && !caller.IsOfficer;
        if (!applicant && !(caller.IsOfficer && caller.ActsIn(countyOfNumber)))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有申请人本人或发证县的工作人员可以核验持证人"));
        }

        number = CertificateRecords.RequireLicenceNumber(number);
        if (applicant && TooManyMisses(caller.Subject!))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "持证人核验不符的次数过多，请一小时后再试"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var holder = await connection.QuerySingleOrDefaultAsync<HolderRow>(HolderSql, new { LicenceNumber = number });
        var answer = holder is null ? new CheckHolderResponse { Found = false, IdentifiedBy = "NONE" } : Compare(holder, request);
        if (applicant && !answer.Match)
        {
            RecordMiss(caller.Subject!);
        }

        return answer;
    }

    private static CheckHolderResponse Compare(HolderRow holder, CheckHolderRequest request)
    {
        var byIdNumber = holder.HolderIdDigest is { Length: > 0 } digest
                         && string.Equals(digest, Identifiers.HolderIdDigest(request.IdNumber), StringComparison.Ordinal);
        var answer = new CheckHolderResponse { Found = true, CountyCode = holder.CountyCode };
        if (!string.IsNullOrWhiteSpace(holder.CreditCode))
        {
            // An enterprise is its credit code; an individual business with one may still name its 经营者's ID number.
            var byCreditCode = Identifiers.SameIdentifier(holder.CreditCode, request.CreditCode);
            var byPerson = !byCreditCode && holder.HolderType == "IndividualBusiness" && byIdNumber;
            answer.IdentifiedBy = byPerson ? "ID_NUMBER" : "CREDIT_CODE";
            answer.Match = byCreditCode || byPerson;
        }
        else if (holder.HolderIdDigest is { Length: > 0 })
        {
            answer.IdentifiedBy = "ID_NUMBER";
            answer.Match = byIdNumber;
        }
        else
        {
            answer.IdentifiedBy = "NONE";
        }

        return answer;
    }

    private bool TooManyMisses(string subject)
    {
        if (!_misses.TryGetValue(subject, out var misses))
        {
            return false;
        }

        lock (misses)
        {
            var since = time.GetUtcNow() - MissWindow;
            while (misses.Count > 0 && misses.Peek() < since)
            {
                misses.Dequeue();
            }

            return misses.Count >= MaxMisses;
        }
    }

    private void RecordMiss(string subject)
    {
        var misses = _misses.GetOrAdd(subject, _ => new Queue<DateTimeOffset>());
        lock (misses)
        {
            misses.Enqueue(time.GetUtcNow());
        }
    }

    private sealed class HolderRow
    {
        public string CountyCode { get; init; } = "";
        public string HolderType { get; init; } = "";
        public string? CreditCode { get; init; }
        public string? HolderIdDigest { get; init; }
    }
}
