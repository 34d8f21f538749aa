using System.Text.Json;
using System.Text.Json.Serialization;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Guide;

/// <summary>One question of the guide's 常见问题 with its answer.</summary>
public sealed record GuideQuestion([property: JsonPropertyName("q")] string Question, [property: JsonPropertyName("a")] string Answer);

/// <summary>What the guide says of one request type: its conditions and its time limits in working days.</summary>
public sealed record GuideMatter(
    IReadOnlyList<string> Conditions,
    int LegalDays,
    int PromisedDays);

/// <summary>A county's hall: its hours and phone (its address is the county directory's), and its own promised limits.</summary>
public sealed record GuideCounty(string Hours, string Phone, IReadOnlyDictionary<string, int>? PromisedDays);

/// <summary>
/// 办事指南 as data (Pages/Guide/guide.json): the conditions, legal basis, time limits, fee, FAQ and each county's hall.
/// Which materials a request type needs in a county, and the renewal and 停业 windows, are not written here: Intake's
/// form specification (the same one Submit checks against) gives them, so the guide and the form cannot disagree.
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

    /// <summary>The request type's conditions and limits, with the county's own promised limit where it sets one.</summary>
    public GuideMatter? Matter(string requestType, string countyCode)
    {
        if (!_file.Types.TryGetValue(requestType, out var matter))
        {
            return null;
        }

        return Hall(countyCode)?.PromisedDays?.TryGetValue(requestType, out var promised) == true
            ? matter with { PromisedDays = promised }
            : matter;
    }

    /// <summary>The county's hall hours and phone; null for a county the guide does not know.</summary>
    public GuideCounty? Hall(string countyCode) => _file.Counties.GetValueOrDefault(countyCode);

    /// <summary>What a material is and how it should look, in the applicant's words; "" when the guide has no words for it.</summary>
    public string Describe(MaterialKind kind) => _file.Materials.GetValueOrDefault(kind.ToString()) ?? "";

    /// <summary>Every county of the directory the guide has a hall for, in directory order.</summary>
    public IEnumerable<County> Counties(CountyDirectory directory) => directory.All.Where(c => Hall(c.Code) is not null);

    /// <summary>The county a page was asked for, when the directory and the guide both know it; else null (every county).</summary>
    public County? Chosen(CountyDirectory directory, string? code) =>
        code is { Length: > 0 } && directory.TryGet(code, out var county) && Hall(code) is not null ? county : null;

    /// <summary>The halls a page lists: the chosen county's, or every county's.</summary>
    public IReadOnlyList<County> Halls(CountyDirectory directory, County? chosen) =>
        chosen is null ? Counties(directory).ToList() : [chosen];

    private sealed record GuideFile(
        string Fee,
        IReadOnlyList<string> LegalBasis,
        Dictionary<string, string> Materials,
        Dictionary<string, GuideMatter> Types,
        IReadOnlyList<GuideQuestion> Faq,
        [property: JsonConverter(typeof(CountiesConverter))] Dictionary<string, GuideCounty> Counties);

    /// <summary>The counties object without its "_comment".</summary>
    private sealed class CountiesConverter : JsonConverter<Dictionary<string, GuideCounty>>
    {
        public override Dictionary<string, GuideCounty> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.EnumerateObject()
                .Where(p => !p.Name.StartsWith('_'))
                .ToDictionary(p => p.Name, p => p.Value.Deserialize<GuideCounty>(options)!, StringComparer.Ordinal);
        }

        public override void Write(Utf8JsonWriter writer, Dictionary<string, GuideCounty> value, JsonSerializerOptions options) =>
            throw new NotSupportedException();
    }
}
