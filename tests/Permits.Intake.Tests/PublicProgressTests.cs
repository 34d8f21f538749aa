using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// The public progress view (办件进度) opens with the number and its 查询码 or the contact phone's last four digits,
/// shows status, step dates and deadlines only, answers an unknown number and a wrong code alike, and refuses guessing.
/// </summary>
public abstract class When_the_public_asks_for_an_application(string provider) : IAsyncLifetime
{
    private const string Reason = "经营者张伟（身份证330424198001010012）住海盐县武原街道百尺路12号3幢2单元501室，电话0573-86123456";
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider, settings: new Dictionary<string, string?>
    {
        ["Intake:PublicLookup:ClientFailures"] = "6",
        ["Intake:PublicLookup:NumberFailures"] = "4",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<PublicApplication> AskAsync(string number, string code) =>
        _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationNumber = number, QueryCode = code }).ResponseAsync;

    [Fact]
    public async Task Should_show_status_and_dates_but_never_the_reasons_written_into_the_case()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}$", submitted.QueryCode);
        await _host.PublishAsync(new ApplicationNotAccepted(
            Guid.Parse(submitted.ApplicationId), Guid.NewGuid(), "330424", "盐烟不受〔2026〕7号", [Reason],
            "如不服，可依法申请行政复议或者提起行政诉讼。", "officer", DateTimeOffset.UtcNow));
        var mine = await Eventually.GetAsync(
            async () => await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As()),
            a => a.Status == "NotAccepted", TimeSpan.FromSeconds(20), "the refusal");
        Assert.Contains(mine.History, h => h.Note.Contains("0573-86123456", StringComparison.Ordinal));

        var byCode = await AskAsync(submitted.ApplicationNumber, submitted.QueryCode.ToLowerInvariant().Replace("-", " "));
        var byPhone = await AskAsync(submitted.ApplicationNumber, "1234");

        Assert.Equal(byCode, byPhone);
        Assert.Equal("NotAccepted", byCode.Status);
        Assert.Equal(["Submitted", "NotAccepted"], byCode.History.Select(h => h.Status));
        Assert.Equal("盐烟不受〔2026〕7号", byCode.History[1].DocumentNumber);
        foreach (var planted in new[] { "张伟", "330424198001010012", "百尺路", "86123456", SampleApplications.Individual().BusinessName })
        {
            Assert.DoesNotContain(planted, byCode.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_answer_an_unknown_number_and_a_wrong_code_alike()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());

        var wrong = await Assert.ThrowsAsync<RpcException>(() => AskAsync(submitted.ApplicationNumber, "ABCD-EFGH"));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => AskAsync("330424-20990101-00001", submitted.QueryCode));
        var noCode = await Assert.ThrowsAsync<RpcException>(() => AskAsync(submitted.ApplicationNumber, ""));

        Assert.Equal((StatusCode.NotFound, unknown.Status.Detail), (wrong.StatusCode, wrong.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, noCode.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_guesses_on_a_number_then_from_a_client_even_with_the_right_code()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        for (var guess = 0; guess < 4; guess++)
        {
            Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => AskAsync(submitted.ApplicationNumber, $"{guess:D4}"))).StatusCode);
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() => AskAsync(submitted.ApplicationNumber, submitted.QueryCode));
        Assert.Equal(StatusCode.ResourceExhausted, locked.StatusCode);
        Assert.Contains("查询失败次数过多", locked.Status.Detail);

        // Walking other numbers from the same client: two more failures reach the client's limit of six.
        for (var number = 1; number <= 2; number++)
        {
            await Assert.ThrowsAsync<RpcException>(() => AskAsync($"330424-20990101-{number:D5}", "1234"));
        }

        var other = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var walked = await Assert.ThrowsAsync<RpcException>(() => AskAsync(other.ApplicationNumber, other.QueryCode));
        Assert.Equal(StatusCode.ResourceExhausted, walked.StatusCode);
        Assert.Equal(6L, await _host.ScalarAsync<long>("SELECT MAX(failures) FROM public_lookup_failures"));
    }

    [Fact]
    public async Task Should_let_the_owner_renew_the_code_and_retire_the_old_one()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());

        var renewed = await _host.Client.GetMyApplicationAsync(
            new GetApplicationRequest { ApplicationId = submitted.ApplicationId, RenewQueryCode = true }, IntakeHost.As());

        Assert.NotEqual(submitted.QueryCode, renewed.QueryCode);
        Assert.Equal("Submitted", (await AskAsync(submitted.ApplicationNumber, renewed.QueryCode)).Status);
        await Assert.ThrowsAsync<RpcException>(() => AskAsync(submitted.ApplicationNumber, submitted.QueryCode));
        Assert.DoesNotContain(renewed.QueryCode.Replace("-", ""), await _host.ScalarAsync<string>("SELECT query_code_hash FROM applications"));
    }
}

public sealed class When_the_public_asks_for_an_application_on_sqlite() : When_the_public_asks_for_an_application("Sqlite");

public sealed class When_the_public_asks_for_an_application_on_postgresql() : When_the_public_asks_for_an_application("PostgreSql");
