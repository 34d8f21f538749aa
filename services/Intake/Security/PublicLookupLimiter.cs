using System.Data.Common;
using System.Net;
using Dapper;
using Grpc.Core;
using Permits.Shared.Data;

namespace Permits.Intake.Security;

/// <summary>
/// Refuses guessing at the public progress view (查询码 or the contact phone's last four digits): each client (address)
/// and each application number may fail only so often per window (<c>Intake:PublicLookup:ClientFailures</c>, 20;
/// <c>NumberFailures</c>, 10; <c>WindowMinutes</c>, 60). Counted in Intake's database so every replica shares the
/// counts, as Disclosure's PlatformLimiter does: an attempt first takes a slot with one conditional UPDATE (it succeeds
/// only below the limit, so concurrent guesses on several replicas cannot together pass it) and gives it back when it
/// succeeds, so only failures stay counted.
/// <para>
/// The client is the connection's address; the Portal, which calls for everyone, forwards the visitor's address in
/// <see cref="ClientAddressHeader"/>, honoured only from <c>Intake:PublicLookup:TrustedForwarders</c> (addresses or
/// CIDR ranges; loopback by default). IPv6 clients count by their /64.
/// </para>
/// </summary>
public sealed class PublicLookupLimiter(ServiceDatabase<IntakeModule> database, IConfiguration configuration, TimeProvider time)
{
    public const string ClientAddressHeader = "x-permits-client-address";

    private const string TakeSql = """
        UPDATE public_lookup_failures SET failures = failures + 1
        WHERE client_key = @Key AND window_start = @WindowStart AND failures < @Limit
        """;

    private const string AddSql = """
        INSERT INTO public_lookup_failures (client_key, window_start, failures)
        SELECT @Key, @WindowStart, 1
        WHERE NOT EXISTS (SELECT 1 FROM public_lookup_failures WHERE client_key = @Key AND window_start = @WindowStart)
        """;

    private const string GiveBackSql = """
        UPDATE public_lookup_failures SET failures = failures - 1
        WHERE client_key = @Key AND window_start = @WindowStart AND failures > 0
        """;

    private const string ForgetOldWindowsSql = "DELETE FROM public_lookup_failures WHERE window_start < @WindowStart";

    private TimeSpan Window => TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Intake:PublicLookup:WindowMinutes", 60)));

    /// <summary>
    /// Takes a slot for the client and for the number; RESOURCE_EXHAUSTED (with a Chinese message saying when to try
    /// again) when either has failed too often. The slots stay taken (a failure) unless <see cref="Attempt.SucceededAsync"/>.
    /// </summary>
    public async Task<Attempt> BeginAsync(string client, string number, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = Window;
        var start = now.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds * (long)window.TotalMilliseconds;
        (string Key, int Limit)[] keys =
        [
            ("client:" + client, configuration.GetValue("Intake:PublicLookup:ClientFailures", 20)),
            ("number:" + number.Trim().ToUpperInvariant(), configuration.GetValue("Intake:PublicLookup:NumberFailures", 10)),
        ];

        await using var connection = await database.OpenAsync(cancellationToken);
        var taken = new List<string>();
        foreach (var (key, limit) in keys)
        {
            if (!await TakeAsync(connection, key, start, Math.Max(1, limit), cancellationToken))
            {
                foreach (var given in taken)
                {
                    await connection.ExecuteAsync(GiveBackSql, new { Key = given, WindowStart = start });
                }

                var minutes = (int)Math.Ceiling((DateTimeOffset.FromUnixTimeMilliseconds(start) + window - now).TotalMinutes);
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"查询失败次数过多，请 {Math.Max(1, minutes)} 分钟后再试。申请人本人可登录后在“我的申请”中查看进度。"));
            }

            taken.Add(key);
        }

        return new Attempt(this, taken, start);
    }

    private async Task GiveBackAsync(List<string> keys, long windowStart, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var key in keys)
        {
            await connection.ExecuteAsync(new CommandDefinition(GiveBackSql, new { Key = key, WindowStart = windowStart }, cancellationToken: cancellationToken));
        }
    }

    private static async Task<bool> TakeAsync(DbConnection connection, string key, long start, int limit, CancellationToken cancellationToken)
    {
        var parameters = new { Key = key, WindowStart = start, Limit = limit };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await connection.ExecuteAsync(new CommandDefinition(TakeSql, parameters, cancellationToken: cancellationToken)) == 1)
            {
                return true;
            }

            try
            {
                if (await connection.ExecuteAsync(new CommandDefinition(AddSql, parameters, cancellationToken: cancellationToken)) == 1)
                {
                    // A new window for this key: a moment to forget every key's old windows.
                    await connection.ExecuteAsync(new CommandDefinition(ForgetOldWindowsSql, parameters, cancellationToken: cancellationToken));
                    return true;
                }

                return false; // the row is there and at its limit
            }
            catch (DbException)
            {
                // Another replica made the row at the same moment: take from it.
            }
        }

        return false;
    }

    /// <summary>
    /// The visitor's address, as <see cref="BeginAsync"/> counts it: the forwarded one from a trusted forwarder (the
    /// Portal), else the connection's. Resolved where the call arrives (Grpc/), so the use case takes a plain value.
    /// </summary>
    public string ClientOf(ServerCallContext context)
    {
        var peer = context.GetHttpContext().Connection.RemoteIpAddress;
        if (peer is not null && Trusted(peer)
            && context.RequestHeaders.GetValue(ClientAddressHeader) is { } forwarded
            && IPAddress.TryParse(forwarded.Trim(), out var visitor))
        {
            return Key(visitor);
        }

        return peer is null ? "unknown" : Key(peer);
    }

    private bool Trusted(IPAddress peer)
    {
        var address = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        var ranges = configuration.GetSection("Intake:PublicLookup:TrustedForwarders").Get<string[]>() ?? ["127.0.0.0/8", "::1/128"];
        return ranges.Any(r => IPNetwork.TryParse(r.Contains('/') ? r : r + (r.Contains(':') ? "/128" : "/32"), out var net) && net.Contains(address));
    }

    private static string Key(IPAddress address)
    {
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return ip.ToString();
    }

    /// <summary>One public lookup: its slots count as a failure unless it succeeded.</summary>
    public sealed class Attempt(PublicLookupLimiter limiter, List<string> keys, long windowStart)
    {
        public Task SucceededAsync(CancellationToken cancellationToken) => limiter.GiveBackAsync(keys, windowStart, cancellationToken);
    }
}
