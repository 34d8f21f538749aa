using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>
/// What a step that issues a numbered document (文书号) leaves to do once its number is taken: the writes that carry
/// the number (the document's own rows, the messages) and the audit's detail. The step makes every other change first,
/// so the number is the last thing it takes in its transaction (<see cref="CaseAction.IssueAsync"/>): the county's
/// counter of that kind stays locked only for these writes and the commit, still in the transaction, so a step refused
/// or failed gives its number back.
/// </summary>
/// <param name="County">Whose number series (its document prefix).</param>
/// <param name="Kind">The document's kind (<see cref="Domain.DocumentNumbers"/>): which series, and which column of the case holds it.</param>
/// <param name="IssuedAt">When: the year of the series.</param>
/// <param name="Stage">The stage the step leaves the case in.</param>
/// <param name="RecordAsync">Given the number, writes what carries it and answers the audit's detail.</param>
public sealed record DocumentStep(County County, string Kind, DateTimeOffset IssuedAt, string Stage, Func<string, Task<string>> RecordAsync);
