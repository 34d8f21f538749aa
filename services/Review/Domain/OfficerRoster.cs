using System.Text.Json;

namespace Permits.Review.Domain;

/// <summary>
/// Demo officers (officers.json) for callers that name only an officer id, until officers sign in. Goes away with
/// sign-in: then role and county come from the token.
/// </summary>
public sealed class OfficerRoster(IEnumerable<OfficerRoster.Entry> entries)
{
    private readonly Dictionary<string, Entry> _byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);

    public bool TryGet(string officerId, out Entry entry) => _byId.TryGetValue(officerId, out entry!);

    public static OfficerRoster LoadEmbedded()
    {
        using var stream = typeof(OfficerRoster).Assembly.GetManifestResourceStream("officers.json")
            ?? throw new InvalidOperationException("The officer roster resource is missing.");
        return new OfficerRoster(JsonSerializer.Deserialize<List<Entry>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? []);
    }

    public sealed record Entry(string Id, string Name, string Role, string County);
}
