using System.Text.Json;
using Permits.Contracts.Review;

namespace Permits.Review.Domain;

/// <summary>One legal ground of refusal as the data lists it.</summary>
/// <param name="Code">What cases and events store (NearSchool, FalseMaterials, …).</param>
/// <param name="Text">The ground as the decision document prints it.</param>
/// <param name="Basis">The law it rests on.</param>
public sealed record LegalGround(string Code, string Text, string Basis)
{
    /// <summary>The ground as an event and the decision document carry it: the wording with its legal basis.</summary>
    public RefusalGround ToContract() => new(Code, $"{Text}（依据：{Basis}）");
}

/// <summary>
/// The grounds an officer may cite for 不予受理 or 不予行政许可: the national list and each county's additions
/// (refusal-grounds.json) — data, not code, like the layout rules.
/// </summary>
public sealed class RefusalGrounds(IReadOnlyList<LegalGround> national, IReadOnlyDictionary<string, IReadOnlyList<LegalGround>> counties)
{
    /// <summary>The grounds a county's officers may cite: the national ones first, then the county's own.</summary>
    public IReadOnlyList<LegalGround> For(string countyCode) =>
        counties.TryGetValue(countyCode, out var own) ? [.. national, .. own] : national;

    /// <summary>
    /// The grounds the codes name, in the order given and without repeats; the codes the county's list does not hold
    /// go to <paramref name="unknown"/>.
    /// </summary>
    public IReadOnlyList<LegalGround> Resolve(string countyCode, IEnumerable<string> codes, out IReadOnlyList<string> unknown)
    {
        var known = For(countyCode).ToDictionary(g => g.Code, StringComparer.Ordinal);
        var found = new List<LegalGround>();
        var missing = new List<string>();
        foreach (var code in codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (known.TryGetValue(code, out var ground))
            {
                found.Add(ground);
            }
            else
            {
                missing.Add(code);
            }
        }

        unknown = missing;
        return found;
    }

    public static RefusalGrounds LoadEmbedded()
    {
        using var stream = typeof(RefusalGrounds).Assembly.GetManifestResourceStream("refusal-grounds.json")
            ?? throw new InvalidOperationException("The refusal grounds resource is missing.");
        return Load(stream);
    }

    public static RefusalGrounds Load(Stream json)
    {
        var file = JsonSerializer.Deserialize<GroundsFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("The refusal grounds file is empty.");
        return new RefusalGrounds(
            file.Grounds,
            file.Counties.ToDictionary(c => c.Key, c => (IReadOnlyList<LegalGround>)c.Value));
    }

    private sealed record GroundsFile(List<LegalGround> Grounds, Dictionary<string, List<LegalGround>> Counties);
}
