using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Permits.Shared.Hosting;

/// <summary>
/// How one service asks another a question over gRPC (who holds a licence, who an officer is, who owns an
/// application): a named client whose address is read from configuration when the client is made, behind the shared
/// HTTP resilience pipeline, and whose calls are tried again when the other service answers UNAVAILABLE. That answer
/// means nothing was done (<see cref="GrpcErrorInterceptor"/>: its database is restarting, or its pooled connections
/// died with the last restart and have just been cleared), and every call made through these clients only reads, so a
/// second try is safe and is what turns a database restart into a short wait instead of an officer's failed step.
/// </summary>
public static class ServiceClients
{
    /// <summary>Three tries in all, 0.2–1 s apart (gRPC adds jitter), within the call's own deadline.</summary>
    public static readonly ServiceConfig ReadRetries = new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 3,
                    InitialBackoff = TimeSpan.FromSeconds(0.2),
                    MaxBackoff = TimeSpan.FromSeconds(1),
                    BackoffMultiplier = 2.5,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };

    /// <summary>
    /// A named gRPC client for reads of another service at the URL in <paramref name="urlKey"/> (e.g.
    /// <c>Services:Identity:Url</c>); with no usable URL there, the client has no address and its callers say so.
    /// </summary>
    public static IHttpClientBuilder AddServiceReadClient<TClient>(this IServiceCollection services, string name, string urlKey)
        where TClient : class =>
        services.AddServiceReadClient<TClient>(name, configuration =>
            Uri.TryCreate(configuration[urlKey], UriKind.Absolute, out var address) ? address : null);

    /// <summary>As above, with the address worked out from configuration by <paramref name="address"/>.</summary>
    public static IHttpClientBuilder AddServiceReadClient<TClient>(
        this IServiceCollection services, string name, Func<IConfiguration, Uri?> address)
        where TClient : class =>
        services
            .AddGrpcClient<TClient>(name, (provider, options) =>
            {
                if (address(provider.GetRequiredService<IConfiguration>()) is { } url)
                {
                    options.Address = url;
                }
            })
            .ConfigureChannel(channel => channel.ServiceConfig = ReadRetries);
}
