using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

public abstract class When_an_application_is_submitted(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string> Spoilt() => new()
    {
        { "business_name", "missing business name" },
        { "county_code", "unknown county" },
        { "credit_code", "credit code with a wrong check character" },
        { "id_number", "ID number with a wrong check character" },
        { "id_number", "ID number with an impossible birth date" },
        { "lease_end_date", "lease already ended" },
        { "lease_end_date", "impossible lease end date" },
        { "delivery.address", "courier delivery without an address" },
        { "contact_phone", "phone number that is not one" },
        { "floor_area", "negative floor area" },
        { "request_type", "no request type" },
    };

    [Theory]
    [MemberData(nameof(Spoilt))]
    public async Task Should_refuse_bad_input_naming_the_field_and_store_nothing(string field, string spoilt)
    {
        var request = SampleApplications.Enterprise();
        switch (spoilt)
        {
            case "missing business name": request.BusinessName = "  "; break;
            case "unknown county": request.CountyCode = "999999"; break;
            case "credit code with a wrong check character": request.CreditCode = "91330424MA2B3C4D5X"; break;
            case "ID number with a wrong check character": request.IdNumber = "330424198506150020"; break;
            case "ID number with an impossible birth date": request.IdNumber = "330424198502300026"; break;
            case "lease already ended":
                request.PremisesTenure = PremisesTenure.Leased;
                request.LeaseEndDate = "2020-01-31";
                break;
            case "impossible lease end date":
                request.PremisesTenure = PremisesTenure.Leased;
                request.LeaseEndDate = "2027-02-30";
                break;
            case "courier delivery without an address": request.Delivery.Address = ""; break;
            case "phone number that is not one": request.ContactPhone = "12345"; break;
            case "negative floor area": request.FloorArea = "-5"; break;
            case "no request type": request.RequestType = RequestType.Unspecified; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        Assert.NotNull(violations);
        var violation = Assert.Single(violations);
        Assert.Equal(field, violation.Field);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
        Assert.Equal(0, await _host.CountAsync("applications"));
        Assert.Equal(0, await _host.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task Should_name_every_missing_field_at_once()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.SubmitAsync(new SubmitApplicationRequest(), IntakeHost.As()).ResponseAsync);

        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToHashSet();
        foreach (var expected in new[]
                 {
                     "client_request_id", "county_code", "request_type", "holder_type", "business_name",
                     "responsible_person", "id_number", "premises_address", "floor_area", "premises_tenure",
                     "contact_phone", "delivery.method",
                 })
        {
            Assert.Contains(expected, fields);
        }

        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_store_and_announce_a_valid_application_once()
    {
        var request = SampleApplications.Individual();

        var first = await _host.Client.SubmitAsync(request, IntakeHost.As());
        var retry = await _host.Client.SubmitAsync(request, IntakeHost.As());

        Assert.Equal(first.ApplicationId, retry.ApplicationId);
        Assert.Matches(@"^330424-\d{8}-\d{5}$", first.ApplicationNumber);
        Assert.Equal(1, await _host.CountAsync("applications"));
        // ApplicationSubmitted and its disclosure record, once.
        Assert.Equal(2, await _host.CountAsync("outbox_messages"));

        var application = await _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationNumber = first.ApplicationNumber, QueryCode = retry.QueryCode });
        Assert.Equal("Submitted", application.Status);
        Assert.Single(application.History);
    }

    [Fact]
    public async Task Should_give_each_application_the_next_number_of_the_day()
    {
        var first = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var second = await _host.Client.SubmitAsync(SampleApplications.Enterprise(), IntakeHost.As());

        Assert.Equal(long.Parse(first.ApplicationNumber[^5..]) + 1, long.Parse(second.ApplicationNumber[^5..]));
    }

    [Fact]
    public async Task Should_keep_markup_as_plain_text()
    {
        var request = SampleApplications.Individual();
        request.BusinessName = "<script>alert(1)</script>'; DROP TABLE applications; --";

        var reply = await _host.Client.SubmitAsync(request, IntakeHost.As());
        var stored = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = reply.ApplicationId }, IntakeHost.As());

        Assert.Equal(request.BusinessName, stored.BusinessName);
        Assert.Equal(1, await _host.CountAsync("applications"));
    }
}

public sealed class On_sqlite() : When_an_application_is_submitted("Sqlite");

public sealed class On_postgresql() : When_an_application_is_submitted("PostgreSql");
