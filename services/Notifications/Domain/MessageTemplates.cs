using System.Text;
using System.Text.Json;

namespace Permits.Notifications.Domain;

/// <summary>One message's wording (Chinese, with <c>{Name}</c> placeholders) and whether it may break quiet hours.</summary>
public sealed record MessageTemplate(string Code, string Text, bool Urgent)
{
    /// <summary>The text with every placeholder filled; a placeholder without a value is left out, never shown raw.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder(Text);
        foreach (var (name, value) in values)
        {
            text.Replace("{" + name + "}", value);
        }

        return System.Text.RegularExpressions.Regex.Replace(text.ToString(), @"\{[A-Za-z]+\}", "");
    }
}

/// <summary>
/// The message wording, kept as data (<c>Domain/templates.json</c>) so it can be reworded without touching code:
/// one template per kind of event, keyed by the event's name.
/// </summary>
public sealed class MessageTemplates(IReadOnlyDictionary<string, MessageTemplate> templates)
{
    public MessageTemplate Get(string code) => templates.TryGetValue(code, out var template)
        ? template
        : throw new InvalidOperationException($"No message template '{code}' in templates.json.");

    public IReadOnlyCollection<string> Codes => templates.Keys.ToList();

    public static MessageTemplates LoadEmbedded()
    {
        using var stream = typeof(MessageTemplates).Assembly.GetManifestResourceStream("templates.json")
            ?? throw new InvalidOperationException("templates.json is not embedded.");
        var entries = JsonSerializer.Deserialize<Dictionary<string, Entry>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("templates.json is empty.");
        return new MessageTemplates(entries.ToDictionary(e => e.Key, e => new MessageTemplate(e.Key, e.Value.Text, e.Value.Urgent), StringComparer.Ordinal));
    }

    private sealed record Entry(string Text, bool Urgent);
}
