using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Permits.Testing;

/// <summary>
/// The sign-in code (验证码) a test reads at the fake SMS gateway, as a shopkeeper reads it on their phone: the newest
/// text to the number that is a sign-in code (notifications about an application go to the same number), its six digits.
/// </summary>
public static partial class SmsCodes
{
    /// <summary>Whether a text is a sign-in code rather than a notification.</summary>
    public static bool IsSignInCode(string text) => text.Contains("验证码", StringComparison.Ordinal);

    /// <summary>
    /// Waits (bounded by <paramref name="patience"/>, 30 s unless given) until the gateway at <paramref name="gateway"/>
    /// holds a sign-in code for <paramref name="phone"/>, and returns the newest one.
    /// </summary>
    public static Task<string> ReadAsync(HttpClient http, string gateway, string phone, TimeSpan? patience = null) =>
        Eventually.GetAsync(
            async () => Latest(await http.GetFromJsonAsync<JsonElement>($"{gateway.TrimEnd('/')}/api/v1/messages?phone={phone}")),
            code => code.Length == 6, patience ?? TimeSpan.FromSeconds(30), $"the SMS code for {phone}");

    /// <summary>The newest sign-in code in the gateway's list (newest first), or null if none came yet.</summary>
    private static string? Latest(JsonElement messages) =>
        messages.EnumerateArray()
            .Select(m => m.GetProperty("text").GetString() ?? "")
            .Where(IsSignInCode)
            .Select(text => SixDigits().Match(text))
            .Select(match => match.Success ? match.Value : null)
            .FirstOrDefault();

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
