using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;

namespace Permits.Disclosure.Reports;

/// <summary>
/// Reports are stored as protobuf's JSON mapping with every field written (zeros included), so the stored text is
/// exactly what platforms read; the content hash is SHA-256 over that text's UTF-8 bytes.
/// </summary>
public static class ReportJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static string Write(IMessage message) => Formatter.Format(message);

    public static T Read<T>(string json) where T : IMessage<T>, new() => Parser.Parse<T>(json);

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
