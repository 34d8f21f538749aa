using System.Text.Json;
using Permits.Contracts.Intake.V1;

namespace Permits.Intake.Domain;

/// <summary>
/// The materials each request type needs, per county (Domain/requirements.json, or the file named by
/// <c>Intake:RequirementsFile</c>): a county's entry for a request type replaces the default one.
/// </summary>
public sealed class MaterialRequirements
{
    private readonly Dictionary<string, MaterialKind[]> _default;
    private readonly Dictionary<string, Dictionary<string, MaterialKind[]>> _counties;

    public MaterialRequirements(IConfiguration configuration)
    {
        using var stream = Open(configuration);
        var file = JsonSerializer.Deserialize<RequirementsFile>(stream)
                   ?? throw new InvalidOperationException("The requirements file is empty.");
        _default = Parse(file.Default);
        _counties = (file.Counties ?? []).ToDictionary(c => c.Key, c => Parse(c.Value), StringComparer.Ordinal);
    }

    /// <summary>The requirements file: <c>Intake:RequirementsFile</c> when set, else the embedded Domain/requirements.json.</summary>
    public static Stream Open(IConfiguration configuration) =>
        configuration["Intake:RequirementsFile"] is { Length: > 0 } path
            ? File.OpenRead(path)
            : typeof(MaterialRequirements).Assembly.GetManifestResourceStream("intake/requirements.json")
              ?? throw new InvalidOperationException("intake/requirements.json is not embedded.");

    /// <summary>The materials an application of this type in this county must carry.</summary>
    public IReadOnlyList<MaterialKind> Materials(string countyCode, string requestType) =>
        _counties.TryGetValue(countyCode, out var county) && county.TryGetValue(requestType, out var own) ? own
        : _default.TryGetValue(requestType, out var common) ? common
        : [];

    private static Dictionary<string, MaterialKind[]> Parse(Dictionary<string, string[]>? types) =>
        (types ?? []).ToDictionary(
            t => t.Key,
            t => t.Value.Select(name => Enum.TryParse<MaterialKind>(name, out var kind) && kind != MaterialKind.Unspecified
                ? kind
                : throw new InvalidOperationException($"Unknown material kind {name} in the requirements file.")).ToArray(),
            StringComparer.Ordinal);

    private sealed class RequirementsFile
    {
        [System.Text.Json.Serialization.JsonPropertyName("default")]
        public Dictionary<string, string[]>? Default { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("counties")]
        public Dictionary<string, Dictionary<string, string[]>>? Counties { get; init; }
    }
}
