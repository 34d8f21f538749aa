using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;

namespace Permits.DisclosureRequests.Tests;

/// <summary>Filing and following a request (no sign-in), on each engine through the same code.</summary>
public abstract class When_a_request_is_filed(RequestsHost host)
{
    [Fact]
    public async Task Should_number_it_start_the_clock_and_let_the_requester_follow_it_with_the_query_code()
    {
        host.Time.Set(2026, 2, 13);

        var filed = await host.Public.FileRequestAsync(Samples.Person());

        Assert.Matches(@"^YSQ-330424-2026-\d{5}$", filed.RequestNumber);
        Assert.Equal(8, filed.QueryCode.Length);
        Assert.Equal("2026-03-19", filed.Request.DueOn);
        Assert.Equal("2026-03-02", filed.Request.CorrectionNoticeDueOn);
        var followed = await host.Public.FollowRequestAsync(new FollowInformationRequest
        {
            RequestNumber = filed.RequestNumber,
            QueryCode = filed.QueryCode.ToLowerInvariant(),
        });
        Assert.Equal("Received", followed.State);
        Assert.Equal("2026-03-19", followed.DueOn);
        Assert.Equal("提交申请", Assert.Single(followed.Steps).Label);
    }

    [Fact]
    public async Task Should_keep_personal_data_out_of_the_requesters_view()
    {
        var filed = await host.Public.FileRequestAsync(Samples.Person(name: "张三丰"));

        Assert.Equal("张**", filed.Request.RequesterDisplayName);
        Assert.Null(filed.Request.Requester);
        var text = filed.Request.ToString();
        Assert.DoesNotContain(Samples.IdNumber, text);
        Assert.DoesNotContain("13800571234", text);
        Assert.DoesNotContain("张三丰", text);
        Assert.All(filed.Request.Steps, s => Assert.Equal("", s.ActorId));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_query_code_like_an_unknown_number()
    {
        var filed = await host.Public.FileRequestAsync(Samples.Person());

        var wrongCode = await Samples.FailsAsync(() => host.Public.FollowRequestAsync(
            new FollowInformationRequest { RequestNumber = filed.RequestNumber, QueryCode = "AAAAAAAA" }).ResponseAsync);
        var wrongNumber = await Samples.FailsAsync(() => host.Public.FollowRequestAsync(
            new FollowInformationRequest { RequestNumber = "YSQ-330424-2026-99999", QueryCode = filed.QueryCode }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, wrongCode.StatusCode);
        Assert.Equal(wrongCode.Status.Detail, wrongNumber.Status.Detail);
    }

    [Fact]
    public async Task Should_file_a_retried_submission_once()
    {
        var request = Samples.Organisation("CommercialEnterprise");

        var first = await host.Public.FileRequestAsync(request);
        var again = await host.Public.FileRequestAsync(request);

        Assert.Equal(first.RequestNumber, again.RequestNumber);
        Assert.Equal(first.QueryCode, again.QueryCode);
        var queue = await host.Desk.ListQueueAsync(new ListInformationRequestsRequest { State = "All", PageSize = 200 }, RequestsHost.Clerk());
        Assert.Single(queue.Requests, r => r.RequestNumber == first.RequestNumber);
    }

    [Fact]
    public async Task Should_refuse_a_reused_submission_id_with_other_content()
    {
        var request = Samples.Person();
        await host.Public.FileRequestAsync(request);
        var other = request.Clone();
        other.Description = "另一份完全不同的政府信息";

        var refused = await Samples.FailsAsync(() => host.Public.FileRequestAsync(other).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
    }

    [Fact]
    public async Task Should_name_every_wrong_field_and_store_nothing()
    {
        var before = await CountAllAsync();
        var person = Samples.Person();
        person.Requester.IdNumber = "110105194912310021"; // wrong check character
        person.Requester.Phone = "12345";
        person.CountyCode = "999999";
        person.Description = "";
        person.PreferredForm = "Fax";
        var organisation = Samples.Organisation("ResearchInstitution");
        var valid = Samples.CreditCode("91330424MA2B3C4D5");
        organisation.Requester.CreditCode = valid[..17] + (valid[17] == '0' ? '1' : '0');
        organisation.DeliveryMethod = "Post"; // without an address

        var personErrors = await Samples.FailsAsync(() => host.Public.FileRequestAsync(person).ResponseAsync);
        var organisationErrors = await Samples.FailsAsync(() => host.Public.FileRequestAsync(organisation).ResponseAsync);
        var noCategory = Samples.Person();
        noCategory.Requester.Category = "1";
        var categoryErrors = await Samples.FailsAsync(() => host.Public.FileRequestAsync(noCategory).ResponseAsync);

        Assert.Equal(
            ["county_code", "description", "preferred_form", "requester.id_number", "requester.phone"],
            Fields(personErrors));
        Assert.Equal(["requester.address", "requester.credit_code"], Fields(organisationErrors));
        Assert.Equal(["requester.category"], Fields(categoryErrors));
        Assert.Equal(before, await CountAllAsync());
    }

    [Fact]
    public async Task Should_be_filed_and_followed_over_rest_as_well()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl) };
        var body = Google.Protobuf.JsonFormatter.Default.Format(Samples.Organisation("SocialWelfareOrganisation"));

        using var filedResponse = await http.PostAsync("/v1/information-requests", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var filed = Google.Protobuf.JsonParser.Default.Parse<FiledInformationRequest>(await filedResponse.Content.ReadAsStringAsync());
        using var followResponse = await http.PostAsync("/v1/information-requests:follow", new StringContent(
            $$"""{"requestNumber":"{{filed.RequestNumber}}","queryCode":"{{filed.QueryCode}}"}""", System.Text.Encoding.UTF8, "application/json"));
        using var badResponse = await http.PostAsync("/v1/information-requests", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.OK, filedResponse.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, followResponse.StatusCode);
        Assert.Contains(filed.RequestNumber, await followResponse.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badResponse.StatusCode);
    }

    private async Task<int> CountAllAsync() =>
        (await host.Desk.ListQueueAsync(new ListInformationRequestsRequest { State = "All" }, RequestsHost.Clerk())).Total;

    private static List<string> Fields(RpcException ex)
    {
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        return ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal).ToList();
    }
}

public sealed class When_a_request_is_filed_on_PostgreSql(PostgresFixture fixture)
    : When_a_request_is_filed(fixture.Host), IClassFixture<PostgresFixture>;

public sealed class When_a_request_is_filed_on_Sqlite(SqliteFixture fixture)
    : When_a_request_is_filed(fixture.Host), IClassFixture<SqliteFixture>;
