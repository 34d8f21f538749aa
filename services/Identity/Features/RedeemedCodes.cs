using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Permits.Shared.Data;

namespace Permits.Identity.Features;

/// <summary>
/// OpenIddict's degraded mode stores no tokens, so nothing would stop an intercepted authorization code from being
/// redeemed twice within its two minutes. Each redemption inserts the code's hash; the primary key refuses a second.
/// Hashes older than a day are pruned with a redemption at most once an hour (by the index on redeemed_at), not with
/// every sign-in.
/// </summary>
public sealed class RedeemedCodes(ServiceDatabase<IdentityModule> database, TimeProvider time)
{
    public const string InsertSql = "INSERT INTO identity_redeemed_codes (code_hash, redeemed_at) VALUES (@CodeHash, @RedeemedAt)";

    public const string PruneSql = "DELETE FROM identity_redeemed_codes WHERE redeemed_at < @Before";

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>When this process last pruned (Unix ms); the first redemption after it starts prunes.</summary>
    private long _prunedAt;

    /// <summary>True the first time a code is seen, false on every replay.</summary>
    public async Task<bool> TryRedeemAsync(string code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        try
        {
            await session.ExecuteAsync(InsertSql, new
            {
                CodeHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code))),
                RedeemedAt = now.ToUnixTimeMilliseconds(),
            });

            // Codes live two minutes; a day later their hashes can go.
            var last = Interlocked.Read(ref _prunedAt);
            if (now.ToUnixTimeMilliseconds() - last >= PruneEvery.TotalMilliseconds
                && Interlocked.CompareExchange(ref _prunedAt, now.ToUnixTimeMilliseconds(), last) == last)
            {
                await session.ExecuteAsync(PruneSql, new { Before = (now - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds() });
            }

            await session.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }
}
