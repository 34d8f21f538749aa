using System.Net;

namespace Permits.Certificate.Tests;

/// <summary>A service's REST/JSON answers (gRPC JSON transcoding) and its 404s carry the shared security headers.</summary>
public sealed class When_a_service_answers_over_http : IAsyncLifetime
{
    private CertificateHost _host = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync(provider: "Sqlite");

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Should_carry_the_security_headers_on_json_and_on_unknown_urls()
    {
        foreach (var path in new[] { "/v1/licences/signing-keys", "/v1/licences/no-such-licence/verification", "/no-such-page" })
        {
            using var response = await _http.GetAsync(_host.HttpUrl + path);
            Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
            if (path == "/no-such-page")
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            else
            {
                Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "");
            }

            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.True(response.Headers.Contains("Referrer-Policy"), path);
        }
    }
}
