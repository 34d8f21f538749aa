using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;

namespace Permits.DisclosureRequests.Tests;

/// <summary>
/// A NUL in an information request gave a 500 on PostgreSQL; a bidi override in a requester's name would print
/// reversed on the notice. Both are refused naming the field, over gRPC and over REST.
/// </summary>
public abstract class When_a_request_carries_control_or_bidi_characters(RequestsHost host)
{
    [Theory]
    [InlineData("requester.name", "张\0三")]
    [InlineData("requester.name", "张三\u202E丰")]
    [InlineData("requester.address", "某路\u00001 号")]
    [InlineData("description", "统计表\0")]
    [InlineData("client_request_id", "id\u0007")]
    public async Task Should_refuse_it_over_grpc_naming_the_field(string field, string value)
    {
        var request = Samples.Person();
        switch (field)
        {
            case "requester.name": request.Requester.Name = value; break;
            case "requester.address": request.Requester.Address = value; break;
            case "description": request.Description = value; break;
            default: request.ClientRequestId = value; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Public.FileRequestAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Should_refuse_it_over_rest_naming_the_field()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl) };
        var body = new
        {
            clientRequestId = Guid.NewGuid().ToString("N"),
            countyCode = RequestsHost.Haiyan,
            requester = new { category = "NaturalPerson", name = "张\u0000三", idNumber = Samples.IdNumber, phone = "13800571234", address = "某路 1 号" },
            description = "统计表",
            preferredForm = "Electronic",
            deliveryMethod = "Online",
        };

        var response = await http.PostAsJsonAsync("/v1/information-requests", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("requester.name", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task Should_answer_a_number_out_of_range_over_rest_in_our_words()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl) };

        var response = await http.PostAsync("/v1/information-requests",
            new StringContent("""{"clientRequestId":"x","countyCode":330424999999999999999}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, json.GetProperty("code").GetInt32());
        var message = json.GetProperty("message").GetString()!;
        Assert.StartsWith("countyCode", message);
        Assert.DoesNotContain("Value was", message);
        Assert.DoesNotContain("Exception", message);
    }
}

public sealed class When_a_request_carries_control_or_bidi_characters_on_PostgreSql(PostgresFixture fixture)
    : When_a_request_carries_control_or_bidi_characters(fixture.Host), IClassFixture<PostgresFixture>;

public sealed class When_a_request_carries_control_or_bidi_characters_on_Sqlite(SqliteFixture fixture)
    : When_a_request_carries_control_or_bidi_characters(fixture.Host), IClassFixture<SqliteFixture>;

/// <summary>Another county's clerk got field errors for a malformed desk action: the county is decided first.</summary>
public abstract class When_another_countys_clerk_sends_a_malformed_desk_action(RequestsHost host)
{
    [Fact]
    public async Task Should_answer_permission_denied_before_the_field_errors()
    {
        host.Time.Set(2026, 2, 13);
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        var malformed = new RequestInformationCorrection { RequestNumber = filed.RequestNumber, Notice = "", CorrectionWorkingDays = 999 };

        var other = await Assert.ThrowsAsync<RpcException>(() =>
            host.Desk.RequestCorrectionAsync(malformed, RequestsHost.Clerk(RequestsHost.Kunshan)).ResponseAsync);
        var own = await Assert.ThrowsAsync<RpcException>(() =>
            host.Desk.RequestCorrectionAsync(malformed, RequestsHost.Clerk()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, own.StatusCode);
    }
}

public sealed class When_another_countys_clerk_sends_a_malformed_desk_action_on_Sqlite(SqliteFixture fixture)
    : When_another_countys_clerk_sends_a_malformed_desk_action(fixture.Host), IClassFixture<SqliteFixture>;
