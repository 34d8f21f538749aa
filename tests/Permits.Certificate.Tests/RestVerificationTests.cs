using System.Net.Http.Json;
using System.Text.Json;

namespace Permits.Certificate.Tests;

/// <summary>Verifiers that cannot speak gRPC use the same calls as REST/JSON (JSON transcoding).</summary>
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
}
