using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Portal.Pages.Disclosure;

/// <summary>
/// One row of the 双公示 register as people read it: one decision of one application. Disclosure publishes a decision
/// in steps (准予许可 with the decision document, then 发证 with the licence number and validity), each a record of
/// its own with half the fields; the row joins the records of one application on the page, the newest value of each
/// field winning. The records themselves, with their national field codes, stay as they are in the open-data API.
/// </summary>
public sealed record RegisterRow(
    IReadOnlyList<RegisterEntry> Entries,
    IReadOnlyDictionary<string, string> Fields,
    string Kinds,
    string DecisionDate,
    RegisterEntry Decision)
{
    /// <summary>The register's entries (newest first), those of one application joined into one row, in the order of their newest.</summary>
    public static IReadOnlyList<RegisterRow> Join(IEnumerable<RegisterEntry> entries) =>
        entries
            .GroupBy(e => e.Record.ApplicationNumber.Length > 0 ? e.Record.ApplicationNumber : e.Record.RecordId, StringComparer.Ordinal)
            .Select(group => Of(group.ToList()))
            .ToList();

    private static RegisterRow Of(IReadOnlyList<RegisterEntry> entries)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries.Reverse())
        {
            foreach (var (code, value) in entry.Record.PublicFields.Where(f => f.Value.Length > 0))
            {
                fields[code] = value;
            }
        }

        // The decision itself (准予/不予许可 carries the decision date) tells when it was made and how fast it was published.
        var decision = entries.LastOrDefault(e => e.DecisionDate.Length > 0) ?? entries[^1];
        var kinds = string.Join("、", entries.Reverse().Select(e => DisclosureKinds.Labels.GetValueOrDefault(e.Record.Kind, e.Record.Kind)).Distinct());
        return new RegisterRow(entries, fields, kinds, decision.DecisionDate, decision);
    }

    /// <summary>The field's value, or — when no record of the row carries it.</summary>
    public string Field(string code) => Fields.TryGetValue(code, out var value) ? value : "—";

    /// <summary>The column header: the field's Chinese name (the code is for the data exchange, not for people).</summary>
    public static string Header(string code) => LicensingFields.Label(code);

    /// <summary>The latest record that corrected or withdrew one of this row's records; 0 when none.</summary>
    public long SupersededByPosition => Entries.Max(e => e.SupersededByPosition);
}
