using Permits.Contracts.Documents;
using Permits.Shared.Data;

namespace Permits.Review.Domain;

/// <summary>
/// Service (送达) of a case's decision: recorded once on the case (the first service is the one the law counts), and
/// the service clock stops — for every kind of decision, a refusal as much as a licence.
/// </summary>
public static class CaseService
{
    private const string RecordSql = """
        UPDATE review_cases SET served_at = @ServedAt, served_method = @Method WHERE id = @Id AND served_at IS NULL
        """;

    public static string Label(string? method) => method switch
    {
        nameof(ServiceMethod.Electronic) => "电子送达",
        nameof(ServiceMethod.Post) => "邮寄送达",
        nameof(ServiceMethod.Hall) => "直接送达",
        _ => "",
    };

    public static async Task RecordAsync(DbSession session, LegalClock clock, CaseRow row, ServiceMethod method, DateTimeOffset servedAt)
    {
        await session.ExecuteAsync(RecordSql, new { row.Id, ServedAt = servedAt, Method = method.ToString() });
        if (row.Clock.Phase == ClockPhase.Service)
        {
            await CaseClock.SaveAsync(session, clock, row.Id, row.CountyCode, LegalClock.Stop(row.Clock), servedAt);
        }
    }
}
