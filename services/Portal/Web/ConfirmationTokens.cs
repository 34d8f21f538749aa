using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Permits.Portal.Web;

/// <summary>
/// The second step of an irreversible act (准予, 不予许可, 不予受理, 撤回): the first POST shows what will happen and
/// carries a token minted for this act on this thing by this person; only a POST with that token acts. A form posted
/// without it, with an altered one, or after <see cref="Lifetime"/> shows the summary again and changes nothing.
/// </summary>
public static class ConfirmationTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private const string Purpose = "Permits.Portal.Confirmation";

    /// <param name="subject">What is confirmed, e.g. "{case id}|Approve|{officer id}".</param>
    public static string Mint(this IDataProtectionProvider protection, string subject) =>
        Protector(protection).Protect(subject, Lifetime);

    public static bool Confirms(this IDataProtectionProvider protection, string subject, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        try
        {
            return Protector(protection).Unprotect(token) == subject;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();
}
