using System.Reflection;

namespace Permits.Identity;

/// <summary>
/// The <c>Identity</c> configuration section. Clients come from configuration (a secret store in production); officer
/// accounts live in Identity's database, administered by each county's 系统管理员. <c>Identity:DemoAccounts=true</c>
/// (the demo switch: the embedded host, <c>./build.sh up</c> and the tests) adds the demo officers and platforms of
/// <c>identity-demo.json</c> and keeps the configured officers as configured; without it a configured officer only
/// bootstraps a county (created once, see <see cref="Features.Officers.SeedAsync"/>).
/// </summary>
public sealed class IdentitySettings
{
    /// <summary>The issuer (<c>iss</c>) of every token, e.g. http://127.0.0.1:5080/ in the embedded host.</summary>
    public string? Issuer { get; set; }

    /// <summary>Allow plain HTTP (loopback development only); production runs behind TLS.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>The SMS gateway's base URL (the fake one locally).</summary>
    public string? SmsGatewayUrl { get; set; }

    /// <summary>
    /// How long an access token lasts when it comes with a refresh token (the Portal's, for a person's sign-in session):
    /// 5 minutes by default. The Portal renews it before it runs out, and a renewal is refused once the session has
    /// ended or the officer has been deactivated, so a copied token opens the APIs at most this long (plus the services'
    /// one-minute clock skew) after that, and a role change is in force at the next renewal.
    /// </summary>
    public int AccessTokenMinutes { get; set; } = 5;

    /// <summary>
    /// How long an access token lasts that nothing renews: a platform's (client credentials) and the password grant's
    /// (test clients only; no deployment registers it). 60 minutes by default.
    /// </summary>
    public int NonRenewableAccessTokenMinutes { get; set; } = 60;

    /// <summary><c>Identity:Limits</c>: how often people may try to sign in (defaults sized for one county).</summary>
    public SignInLimits Limits { get; set; } = new();

    /// <summary>How long the records of sign-ins are kept (<see cref="RetentionSettings"/>).</summary>
    public RetentionSettings Retention { get; set; } = new();

    public List<ClientSettings> Clients { get; set; } = [];

    public List<OfficerSettings> Officers { get; set; } = [];

    /// <summary>The demo switch (<c>Identity:DemoAccounts</c>): demo accounts, configured officers kept as configured.</summary>
    public bool DemoAccounts { get; set; }

    /// <summary>Adds the embedded demo accounts below whatever configuration gives, when asked to.</summary>
    public static void AddDemoAccounts(IConfigurationBuilder configuration, IConfiguration current)
    {
        if (!current.GetValue("Identity:DemoAccounts", false))
        {
            return;
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("identity-demo.json")!;
        var demo = new ConfigurationBuilder().AddJsonStream(stream).Build();

        // Append after any configured entries: a configured account with the same name wins (first one seeded).
        var officers = current.GetSection("Identity:Officers").GetChildren().Count();
        var clients = current.GetSection("Identity:Clients").GetChildren().Count();
        var values = new Dictionary<string, string?>();
        foreach (var pair in demo.AsEnumerable().Where(p => p.Value is not null))
        {
            values[Shift(Shift(pair.Key, "Identity:Officers:", officers), "Identity:Clients:", clients)] = pair.Value;
        }

        configuration.AddInMemoryCollection(values);
    }

    private static string Shift(string key, string prefix, int offset)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return key;
        }

        var rest = key[prefix.Length..];
        var colon = rest.IndexOf(':');
        var index = int.Parse(colon < 0 ? rest : rest[..colon]);
        return prefix + (index + offset) + (colon < 0 ? "" : rest[colon..]);
    }
}

/// <summary>
/// Limits on guessing, counted in Identity's database so every replica applies the same ones. A client is its address
/// as Identity sees it (the ingress's forwarded address in the cluster).
/// </summary>
public sealed class SignInLimits
{
    /// <summary>Wrong passwords in a row (within <see cref="LockoutMinutes"/>) before an officer account is locked.</summary>
    public int OfficerMaxFailures { get; set; } = 5;

    /// <summary>How long failures count, and so how long a lock lasts.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Wrong passwords from one client address (any accounts) within <see cref="LockoutMinutes"/> before it must wait.</summary>
    public int ClientMaxFailures { get; set; } = 20;

    /// <summary>Different mobile numbers one client address may ask codes for in an hour (a hall's PC helps a few a day).</summary>
    public int SmsNumbersPerClientPerHour { get; set; } = 10;

    /// <summary>Codes sent in an hour, all numbers and clients together: a county's busiest hour is far below this.</summary>
    public int SmsCodesPerHour { get; set; } = 300;
}

/// <summary>
/// How long Identity keeps the records of sign-ins, which name people (mobile numbers, officers' usernames, client
/// addresses): the SMS codes sent, the officers' sign-in attempts and the sessions. They are the service's network log,
/// which the Cybersecurity Law (网络安全法, art. 21) requires kept for no less than six months, and personal information,
/// which PIPL (个人信息保护法, art. 19) allows kept no longer than the purpose needs: six months by default, then
/// deleted (a session counts from when it ended). Applicants' and officers' accounts are not records and stay.
/// </summary>
public sealed class RetentionSettings
{
    /// <summary>The least the law allows.</summary>
    public const int MinimumMonths = 6;

    /// <summary>Months a record is kept (<c>Identity:Retention:SignInRecordMonths</c>, 6); fewer than six is refused.</summary>
    public int SignInRecordMonths { get; set; } = MinimumMonths;

    /// <summary>Minutes between pruning passes (<c>Identity:Retention:PruneIntervalMinutes</c>, 60).</summary>
    public int PruneIntervalMinutes { get; set; } = 60;

    /// <summary>Rows deleted per statement (<c>Identity:Retention:BatchSize</c>, 1000), so no delete holds a long lock.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Refuses a retention the law does not allow, or settings that would prune nothing.</summary>
    public void Validate()
    {
        if (SignInRecordMonths < MinimumMonths)
        {
            throw new InvalidOperationException(
                $"Identity:Retention:SignInRecordMonths is {SignInRecordMonths}: sign-in records are the service's network log, " +
                $"which must be kept for at least {MinimumMonths} months (网络安全法 第二十一条).");
        }

        if (PruneIntervalMinutes <= 0 || BatchSize <= 0)
        {
            throw new InvalidOperationException("Identity:Retention:PruneIntervalMinutes and Identity:Retention:BatchSize must be positive.");
        }
    }
}

/// <summary>An OAuth2 client: the Portal (authorization code + PKCE, confidential) or a platform (client credentials).</summary>
public sealed class ClientSettings
{
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    public string? Name { get; set; }

    /// <summary>
    /// authorization_code, password, client_credentials. A client of the code flow may also ask for
    /// <c>offline_access</c> and redeem the refresh tokens it gets (see <see cref="Server.ClientRegistry.MayUse"/>): they
    /// carry the sign-in session and die with it.
    /// </summary>
    public List<string> GrantTypes { get; set; } = [];

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>Scopes the client may ask for (openid, profile, permits, disclosure.read).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>A platform's province (two-digit code); its tokens carry it.</summary>
    public string? Province { get; set; }
}

/// <summary>An officer account to seed (its password is hashed when stored; never kept in clear).</summary>
public sealed class OfficerSettings
{
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public string Name { get; set; } = "";

    public string County { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}
