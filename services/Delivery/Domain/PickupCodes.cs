using System.Globalization;
using System.Security.Cryptography;

namespace Permits.Delivery.Domain;

/// <summary>The 6-digit code the shopkeeper shows at the service hall.</summary>
public static class PickupCodes
{
    public static string New() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Constant-time comparison, so the answer time does not leak how many digits were right.</summary>
    public static bool Matches(string? expected, string given) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(given));
}
