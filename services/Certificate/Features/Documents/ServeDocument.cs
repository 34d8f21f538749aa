using Permits.Contracts.Documents;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// Records the service (送达) of a decision, once, inside the caller's transaction: electronically when the consenting
/// applicant first opens it, by post or at the hall when a licence's delivery or an officer records it. The first
/// service counts (a second is refused by the caller or ignored); it publishes DocumentServed, which stops the decision's
/// service clock in Review, and issues the 送达回证 that records how, when and to whom.
/// </summary>
public sealed class ServeDocument(CountyDirectory counties, IssueDocument issue)
{
    /// <param name="recordedBy">The officer who recorded a post or hall service (id); null for electronic or courier service.</param>
    /// <param name="server">送达人 as the 送达回证 prints it: the officer, the courier, or the platform.</param>
    /// <returns>False when the decision had already been served: nothing changed.</returns>
    public async Task<bool> HandleAsync(
        DbSession session, DocumentRow decision, ServiceMethod method, DateTimeOffset servedAt, string recipient, string? recordedBy,
        string server, string place)
    {
        var changed = await session.ExecuteAsync(DocumentRecords.ServeSql, new
        {
            decision.Number,
            ServiceMethod = method.ToString(),
            ServedAt = servedAt.ToUniversalTime(),
            ServedBy = recordedBy,
            Recipient = recipient,
        });
        if (changed == 0)
        {
            return false;
        }

        await session.PublishAsync(new DocumentServed(
            decision.ApplicationId, decision.CaseId, decision.CountyCode, decision.Kind, decision.Number, method, servedAt, recordedBy),
            DeterministicGuid.Create(decision.ApplicationId, $"served:{decision.Number}"));

        var county = counties.Get(decision.CountyCode);
        var number = await DocumentRecords.ReceiptNumberAsync(session, county, decision.Number, ChinaTime.DateOf(servedAt));
        var receipt = DocumentTexts.ServiceReceipt(
            new DocumentTexts.Service(decision.Type, decision.Number, method, servedAt, recipient, server, place), number, decision.Addressee, county);
        await issue.HandleAsync(session, decision.ApplicationId, decision.CaseId, decision.CountyCode, servedAt, receipt, decision.Number);
        return true;
    }
}
