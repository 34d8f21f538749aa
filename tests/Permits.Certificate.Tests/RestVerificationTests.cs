using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Permits.Certificate.Tests;

/// <summary>
/// Verifiers that cannot speak gRPC use the same calls as REST/JSON (JSON transcoding); those answers and the 404s carry
/// the shared security headers.
/// </summary>
public sealed class When_a_licence_is_verified_over_rest : IAsyncLifetime
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
    public async Task Should_answer_by_licence_number_and_by_token_with_the_same_verdicts_as_grpc()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;
        var licence = await _host.Client.GetCertificateAsync(new Permits.Contracts.Certificate.V1.GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);

        using var byNumber = JsonDocument.Parse(await _http.GetStringAsync($"{_host.HttpUrl}/v1/licences/{number}/verification"));
        Assert.Equal("ON_RECORD", byNumber.RootElement.GetProperty("authenticity").GetString());
        Assert.Equal("VALID", byNumber.RootElement.GetProperty("status").GetString());

        var response = await _http.PostAsJsonAsync($"{_host.HttpUrl}/v1/licences:verify", new { token = licence.Token });
        response.EnsureSuccessStatusCode();
        using var byToken = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("GENUINE", byToken.RootElement.GetProperty("authenticity").GetString());
        Assert.Equal(number, byToken.RootElement.GetProperty("licenceNumber").GetString());

        var tampered = await _http.PostAsJsonAsync($"{_host.HttpUrl}/v1/licences:verify", new { token = licence.Token[..^4] + "AAAA" });
        using var altered = JsonDocument.Parse(await tampered.Content.ReadAsStringAsync());
        Assert.NotEqual("GENUINE", altered.RootElement.GetProperty("authenticity").GetString());
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
