using System.Net;
using System.Text.Json;

namespace Permits.Disclosure.Tests;

/// <summary>
/// REST callers got .NET's own words ("Value was either too large or too small for an Int32.") for a number that does
/// not fit its field: now INVALID_ARGUMENT in ours, naming the field.
/// </summary>
public sealed class When_a_rest_caller_sends_a_number_that_does_not_fit : IAsyncLifetime
{
    private DisclosureHost _host = null!;

    public async Task InitializeAsync() => _host = await DisclosureHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/disclosure/v1/records?page_size=99999999999", "page_size")]
    [InlineData("/disclosure/v1/records?pageSize=12abc", "pageSize")]
    [InlineData("/disclosure/v1/records?after_position=-1e99", "after_position")]
    public async Task Should_answer_400_naming_the_field_in_our_words(string url, string field)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_host.HttpUrl) };

        var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, json.GetProperty("code").GetInt32());
        var message = json.GetProperty("message").GetString()!;
        Assert.StartsWith(field + ":", message);
        Assert.DoesNotContain("Value was", message);
        Assert.DoesNotContain("format", message);
        var violation = json.GetProperty("details")[0].GetProperty("fieldViolations")[0];
        Assert.Equal(field, violation.GetProperty("field").GetString());
    }
}
