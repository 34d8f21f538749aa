using System.Security.Cryptography;
using System.Text;
using Permits.Shared.Domain;

namespace Permits.Notifications.Domain;

/// <summary>
/// A number is kept once, on its application's contact; messages keep only its masked form (for officers) and a
/// digest (to count a number's messages for the daily cap).
/// </summary>
public static class PhoneNumbers
{
    /// <summary>138****1234, as <see cref="PersonalData"/> masks it everywhere.</summary>
    public static string Mask(string phone) => PersonalData.Deidentify(phone.Trim());

    public static string Digest(string phone) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(phone.Trim()))).ToLowerInvariant();
}
