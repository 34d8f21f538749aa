using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Permits.Certificate.Domain;

/// <summary>
/// The bytes that get signed: a JSON object with keys in ordinal order, string (or string-array) values only, no
/// whitespace, UTF-8 with non-ASCII kept literal. The same fields always give the same bytes.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static byte[] Serialize(IReadOnlyDictionary<string, string> fields) =>
        Serialize(fields.ToDictionary(pair => pair.Key, pair => (object)pair.Value));

    public static byte[] Serialize(IReadOnlyDictionary<string, object> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in fields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                switch (value)
                {
                    case string text:
                        writer.WriteString(key, text);
                        break;
                    case IEnumerable<string> items:
                        writer.WriteStartArray(key);
                        foreach (var item in items)
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        throw new ArgumentException($"Field {key} must be a string or a list of strings.", nameof(fields));
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string ToText(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
