namespace Permits.Disclosure.Platforms;

/// <summary>Configuration section <c>Disclosure:Platforms</c>.</summary>
public sealed class PlatformOptions
{
    public const string Section = "Disclosure:Platforms";

    /// <summary>Limits for a client that has none of its own.</summary>
    public PlatformLimits Defaults { get; set; } = new();

    /// <summary>By client id (the token's client): limits. Province and key are no longer read (tokens carry the province).</summary>
    public Dictionary<string, PlatformClient> Clients { get; set; } = new(StringComparer.Ordinal);
}

public sealed class PlatformClient
{
    public string Province { get; set; } = "";

    /// <summary>Obsolete: the shared secret of the former x-platform-key mode; not read any more.</summary>
    public string Key { get; set; } = "";

    public PlatformLimits? Limits { get; set; }
}

public sealed class PlatformLimits
{
    /// <summary>Sustained rate (token bucket refill per second).</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Burst above the sustained rate.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Quota per calendar window (<see cref="QuotaWindowHours"/>).</summary>
    public int Quota { get; set; } = 1_000_000;

    public int QuotaWindowHours { get; set; } = 24;
}
