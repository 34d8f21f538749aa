using Microsoft.Extensions.DependencyInjection;
using Permits.Identity.Features;

namespace Permits.Identity.Tests;

/// <summary>
/// Sign-in records (SMS codes sent, officers' sign-in attempts, sessions) are the service's network log and name
/// people: kept six months by default, as the Cybersecurity Law requires at least, then deleted.
/// </summary>
public sealed class When_sign_in_records_pass_their_retention_period
{
    private const string CountCodesSql = "SELECT COUNT(*) FROM identity_sms_codes WHERE phone_number = @Phone";

    private const string CountAttemptsSql = "SELECT COUNT(*) FROM identity_sign_in_attempts WHERE attempted_at < @Before";

    private const string CountSessionsSql = "SELECT COUNT(*) FROM identity_sessions WHERE expires_at < @Before";

    [Fact]
    public async Task Should_delete_those_older_than_six_months_and_keep_the_rest()
    {
        await using var host = await IdentityHost.StartAsync();
        const string earlyPhone = "13900005501", latePhone = "13900005502";

        // Records of today: a shopkeeper signs in by SMS (a code and a session), an officer mistypes then signs in.
        using (var browser = new Browser(host))
        {
            await browser.OpenSignInAsync();
            await browser.SendCodeAsync(earlyPhone);
            await browser.EnterCodeAsync(earlyPhone, (await host.LatestCodeAsync(earlyPhone))!);
        }

        using (await host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
                   ("client_secret", IdentityHost.ClientSecret), ("username", "hy-clerk"), ("password", "wrong"), ("scope", "openid")))
        {
        }

        await host.OfficerTokenAsync("hy-clerk");
        var firstDay = host.Time.GetUtcNow();
        Assert.Equal(1, await host.ScalarAsync<long>(CountCodesSql, new { Phone = earlyPhone }));
        Assert.True(await host.ScalarAsync<long>(CountAttemptsSql, new { Before = firstDay.AddMinutes(1).ToUnixTimeMilliseconds() }) >= 2);
        Assert.True(await host.ScalarAsync<long>(CountSessionsSql, new { Before = firstDay.AddDays(1).ToUnixTimeMilliseconds() }) >= 1);

        // 200 days on: new records of that day, then a pruning pass.
        host.Time.Offset = TimeSpan.FromDays(200);
        using (var browser = new Browser(host))
        {
            await browser.OpenSignInAsync();
            await browser.SendCodeAsync(latePhone);
        }

        await host.OfficerTokenAsync("hy-clerk");
        var pruner = host.Services.GetRequiredService<SignInRecordPruner>();
        var earliest = host.Time.GetUtcNow().AddMonths(-6);
        Assert.InRange(pruner.Cutoff, earliest, host.Time.GetUtcNow().AddMonths(-6));
        var (codes, attempts, sessions) = await pruner.PruneAsync(CancellationToken.None);

        Assert.Equal(1, codes);
        Assert.True(attempts >= 2, $"{attempts} attempts pruned");
        Assert.True(sessions >= 1, $"{sessions} sessions pruned");
        Assert.Equal(0, await host.ScalarAsync<long>(CountCodesSql, new { Phone = earlyPhone }));
        Assert.Equal(1, await host.ScalarAsync<long>(CountCodesSql, new { Phone = latePhone }));
        Assert.Equal(0, await host.ScalarAsync<long>(CountAttemptsSql, new { Before = firstDay.AddDays(1).ToUnixTimeMilliseconds() }));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_sign_in_attempts"));
        // The applicant's account is not a record: it stays, with the subject their applications belong to.
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_applicants WHERE phone_number = @Phone", new { Phone = earlyPhone }));
        Assert.Equal((0, 0, 0), await pruner.PruneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Should_refuse_to_start_when_told_to_keep_them_less_than_six_months()
    {
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => IdentityHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Identity:Retention:SignInRecordMonths"] = "5" }));
        Assert.Contains("SignInRecordMonths is 5", refused.Message);
        Assert.Contains("网络安全法", refused.Message);
    }
}
