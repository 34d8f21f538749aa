namespace Permits.Portal.Security;

/// <summary>
/// How the Portal's own requests reach Identity (the token endpoint and the session checks). The browser reaches Identity
/// at its public address (<c>Identity:Authority</c>, through the Ingress, over TLS); inside a cluster the Portal need not
/// take that way round — resolving the public name and trusting the Ingress certificate from a pod is often impossible —
/// so <c>Identity:BackChannel</c> (e.g. <c>http://identity:8080/</c>) names the internal address instead. Those requests
/// then say what the Ingress would have said (<c>X-Forwarded-Proto</c>, <c>X-Forwarded-Host</c> of the public address),
/// which Identity honours only from the networks its <c>ForwardedHeaders:KnownNetworks</c> trusts. Tokens still carry
/// the public issuer (Identity's fixed <c>Identity:Issuer</c>), which is what the Portal and the services check.
/// </summary>
public static class IdentityBackChannel
{
    /// <summary>The base address of the Portal's requests to Identity, ending in '/'.</summary>
    public static Uri Address(IConfiguration configuration)
    {
        var backChannel = configuration["Identity:BackChannel"];
        return new Uri((string.IsNullOrWhiteSpace(backChannel) ? configuration["Identity:Authority"]! : backChannel).TrimEnd('/') + "/");
    }

    /// <summary>The handler the Portal's Identity clients send through: it adds the forwarded headers only when the
    /// back channel is not the public address itself.</summary>
    public static HttpMessageHandler Handler(IConfiguration configuration, HttpMessageHandler? inner = null)
    {
        var publicAddress = new Uri(configuration["Identity:Authority"]!.TrimEnd('/') + "/");
        var address = Address(configuration);
        inner ??= new SocketsHttpHandler();
        return address == publicAddress ? inner : new AsPublic(publicAddress) { InnerHandler = inner };
    }

    private sealed class AsPublic(Uri publicAddress) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove("X-Forwarded-Proto");
            request.Headers.Remove("X-Forwarded-Host");
            request.Headers.Add("X-Forwarded-Proto", publicAddress.Scheme);
            request.Headers.Add("X-Forwarded-Host", publicAddress.Authority);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
