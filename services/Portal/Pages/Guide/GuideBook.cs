using System.Text.Json;
using System.Text.Json.Serialization;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Guide;

/// <summary>One question of the guide's 常见问题 with its answer.</summary>
public sealed record GuideQuestion([property: JsonPropertyName("q")] string Question, [property: JsonPropertyName("a")] string Answer);

/// <summary>
/// What the guide says of one request type: its conditions and the legal decision limit in working days (law; Review's
/// limits in force are shown when it answers, see <see cref="CountyInForce"/>).
/// </summary>
public sealed record GuideMatter(IReadOnlyList<string> Conditions, int LegalDays);

/// <summary>
/// 办事指南 as data (Pages/Guide/guide.json): the conditions, legal basis, legal time limits, fee and FAQ — law and
/// guide text. Which materials a request type needs in a county, and the renewal and 停业 windows, are not written here:
/// Intake's form specification (the same one Submit checks against) gives them, so the guide and the form cannot
/// disagree. Nor are a county's hall and 承诺时限: Delivery and Review own them as settings (<see cref="CountyInForce"/>).
/// </summary>
public sealed class GuideBook
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly GuideFile _file;

    public GuideBook()
    {
        using var stream = typeof(GuideBook).Assembly.GetManifestResourceStream("guide.json")
            ?? throw new InvalidOperationException("The guide (guide.json) is not embedded.");
        _file = JsonSerializer.Deserialize<GuideFile>(stream, Json) ?? throw new InvalidOperationException("guide.json is empty.");
    }

    public string Fee => _file.Fee;

    public IReadOnlyList<string> LegalBasis => _file.LegalBasis;

    public IReadOnlyList<GuideQuestion> Questions => _file.Faq;

    /// <summary>The request type's conditions and legal limit; null for a type the guide does not know.</summary>
    public GuideMatter? Matter(string requestType) => _file.Types.GetValueOrDefault(requestType);

    /// <summary>What a material is and how it should look, in the applicant's words; "" when the guide has no words for it.</summary>
    public string Describe(MaterialKind kind) => _file.Materials.GetValueOrDefault(kind.ToString()) ?? "";

    /// <summary>The county a page was asked for, when the directory knows it; else null (every county).</summary>
    public static County? Chosen(CountyDirectory directory, string? code) =>
        code is { Length: > 0 } && directory.TryGet(code, out var county) ? county : null;

    /// <summary>The counties whose halls a page lists: the chosen county's, or every county's.</summary>
    public static IReadOnlyList<County> Halls(CountyDirectory directory, County? chosen) =>
        chosen is null ? directory.All.ToList() : [chosen];

    private sealed record GuideFile(
        string Fee,
        IReadOnlyList<string> LegalBasis,
        Dictionary<string, string> Materials,
        Dictionary<string, GuideMatter> Types,
        IReadOnlyList<GuideQuestion> Faq);
}
