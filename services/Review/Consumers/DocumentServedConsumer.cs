using Permits.Contracts.Documents;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// 送达 of a decision (不予受理, 准予 or 不予行政许可 决定书) — opened in the Portal, delivered by post or handed over at the
/// hall: recorded on the case, and the service clock stops. Other documents (notices, records) have no service limit.
/// </summary>
public sealed class DocumentServedConsumer(
    ServiceDatabase<ReviewModule> database,
    LegalClock clock,
    ILogger<DocumentServedConsumer> logger)
    : InboxConsumer<ReviewModule, DocumentServed>(database, logger)
{
    private const string LoadSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @CaseId";

    protected override async Task HandleAsync(DocumentServed message, DbSession session, CancellationToken cancellationToken)
    {
        if (!OfficialDocuments.TryGet(message.DocumentKind, out var kind) || !kind.IsDecision)
        {
            return;
        }

        var row = await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { message.CaseId });
        if (row is null || row.DecisionDocument != message.DocumentNumber)
        {
            return;
        }

        await CaseService.RecordAsync(session, clock, row, message.Method, message.ServedAt);
    }
}
