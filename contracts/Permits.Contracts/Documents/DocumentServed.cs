namespace Permits.Contracts.Documents;

/// <summary>
/// A formal document was served (送达) on the applicant: opened electronically in the Portal, delivered by post, or
/// handed over at the hall. For a decision (<see cref="OfficialDocumentKind.IsDecision"/>) this stops its service
/// clock; a licence's delivery serves its 准予行政许可决定书.
/// </summary>
/// <param name="DocumentKind">An <see cref="OfficialDocuments"/> code.</param>
/// <param name="RecordedBy">The officer who recorded a post or hall service; null for electronic service.</param>
public sealed record DocumentServed(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentKind,
    string DocumentNumber,
    ServiceMethod Method,
    DateTimeOffset ServedAt,
    string? RecordedBy);
