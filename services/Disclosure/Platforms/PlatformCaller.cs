namespace Permits.Disclosure.Platforms;

/// <summary>A provincial platform's client, as every open-data call sees it: who calls, and which province it may read.</summary>
/// <param name="Province">Two-digit province code (33 = 浙江): the first two digits of every county code it may read.</param>
public sealed record PlatformCaller(string ClientId, string Province)
{
    public bool MayRead(string countyCode) => countyCode.StartsWith(Province, StringComparison.Ordinal);
}

/// <summary>
/// Finds the caller of a request. The one seam between the open-data API and how platforms authenticate: OAuth2
/// <see cref="TokenCallerResolver"/> (client-credentials token with a province claim and scope disclosure.read).
/// </summary>
public interface IPlatformCallerResolver
{
    CallerResolution Resolve(HttpContext context);
}

/// <summary>The caller, or why not: <paramref name="Authenticated"/> false → UNAUTHENTICATED, true → PERMISSION_DENIED.</summary>
public sealed record CallerResolution(PlatformCaller? Caller, bool Authenticated, string Failure)
{
    public static CallerResolution Of(PlatformCaller caller) => new(caller, true, "");

    public static CallerResolution Unauthenticated(string failure) => new(null, false, failure);

    public static CallerResolution Forbidden(string failure) => new(null, true, failure);
}
