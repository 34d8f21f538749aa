using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// The form per request type and county (Domain/requirements.json, "fields"): 海盐县 (330424) also asks the floor area
/// for 恢复营业; 嘉善县 (330421) does not ask the premises address for 补办.
/// </summary>
public abstract class When_a_county_configures_the_form(string provider) : IAsyncLifetime
{
    private const string JiashanAddress = "浙江省嘉兴市嘉善县罗星街道体育南路 8 号";
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static SubmitApplicationRequest Of(RequestType type, string county = "330424")
    {
        var request = SampleApplications.Individual(county);
        request.RequestType = type;
        request.LicenceNumber = county + "100001";
        if (county == "330421")
        {
            request.PremisesAddress = JiashanAddress;
        }

        return request;
    }

    private static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations;
    }

    private static FieldRequirement Requirement(FormSpec spec, string field) => spec.Fields.Single(f => f.Field == field).Requirement;

    [Fact]
    public async Task Should_give_the_form_of_each_type_in_each_county()
    {
        var newShop = await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = "330424", RequestType = RequestType.New });
        var haiyanResume = await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = "330424", RequestType = RequestType.Resume });
        var jiashanResume = await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = "330421", RequestType = RequestType.Resume });
        var jiashanReissue = await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = "330421", RequestType = RequestType.Reissue });
        var suspend = await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = "", RequestType = RequestType.Suspend });

        Assert.Equal(FieldRequirement.NotAsked, Requirement(newShop, "licence_number"));
        Assert.Equal(FieldRequirement.Optional, Requirement(newShop, "credit_code"));
        Assert.Equal(FieldRequirement.Required, Requirement(newShop, "lease_end_date"));
        Assert.Equal(FieldRequirement.Required, Requirement(newShop, "business_name"));
        Assert.Equal([MaterialKind.IdCard, MaterialKind.BusinessLicence, MaterialKind.PremisesProof, MaterialKind.PremisesPhoto], newShop.Materials);
        Assert.Equal(FieldRequirement.Required, Requirement(haiyanResume, "floor_area"));
        Assert.Equal(FieldRequirement.NotAsked, Requirement(jiashanResume, "floor_area"));
        Assert.Equal(FieldRequirement.Required, Requirement(jiashanResume, "licence_number"));
        Assert.Equal(FieldRequirement.NotAsked, Requirement(jiashanReissue, "premises_address"));
        Assert.Equal(FieldRequirement.Required, Requirement(suspend, "suspend_from"));
        Assert.Equal(7, suspend.SuspendMinDaysBeforeStart);
        Assert.All(newShop.Fields, f => Assert.False(string.IsNullOrEmpty(f.Label)));
        // Every name the form and its errors use has its words in the spec: the Portal keeps no label table of its own.
        Assert.Equal(["county_code", "request_type"], newShop.Fields.Take(2).Select(f => f.Field));
        Assert.Equal("收件人电话", newShop.Fields.Single(f => f.Field == "delivery.recipient_phone").Label);
        Assert.Equal("材料文件", newShop.Fields.Single(f => f.Field == "content").Label);
        Assert.Equal(FieldRequirement.Required, Requirement(newShop, "materials"));
        Assert.Equal(FieldRequirement.Optional, Requirement(newShop, "delivery.address"));

        var unknown = await RefusedAsync(() => _host.Client.GetFormSpecAsync(
            new GetFormSpecRequest { CountyCode = "999999", RequestType = RequestType.Unspecified }).ResponseAsync);
        Assert.Equal(["county_code", "request_type"], unknown.Select(v => v.Field));
    }

    [Fact]
    public async Task Should_require_the_extra_field_a_county_asks_for()
    {
        var haiyan = Of(RequestType.Resume);
        haiyan.FloorArea = "";
        var jiashan = Of(RequestType.Resume, "330421");
        jiashan.FloorArea = "";

        var violations = await RefusedAsync(() => _host.Client.SubmitAsync(haiyan, IntakeHost.As()).ResponseAsync);
        var accepted = await _host.Client.SubmitAsync(jiashan, IntakeHost.As());

        var violation = Assert.Single(violations);
        Assert.Equal("floor_area", violation.Field);
        Assert.Contains("经营面积", violation.Description);
        Assert.Equal("Submitted", accepted.Status);
        Assert.Equal(1, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_ignore_and_not_keep_a_field_the_county_does_not_ask_for()
    {
        var reissue = Of(RequestType.Reissue, "330421");
        reissue.PremisesAddress = "<script>不在本县的任何地址</script>";
        reissue.FloorArea = "not a number";
        reissue.PremisesTenure = PremisesTenure.Leased;
        reissue.LeaseEndDate = "2020-02-30";

        var reply = await _host.Client.SubmitAsync(reissue, IntakeHost.As());
        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = reply.ApplicationId }, IntakeHost.As());

        Assert.Equal("", mine.Form.PremisesAddress);
        Assert.Equal("", mine.Form.FloorArea);
        Assert.Equal(PremisesTenure.Unspecified, mine.Form.PremisesTenure);
        Assert.Equal("", mine.Form.LeaseEndDate);
        Assert.Equal("330421100001", mine.Form.LicenceNumber);
        Assert.Equal("", await _host.ScalarAsync<string>("SELECT premises_address FROM applications"));
    }

    [Fact]
    public async Task Should_keep_a_draft_of_any_type_whole_and_submit_it_by_its_form()
    {
        var form = Of(RequestType.Reissue, "330421");
        form.PremisesAddress = "半写的地址";
        form.IdNumber = "";

        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = form }, IntakeHost.As());
        var back = await _host.Client.GetDraftAsync(new GetDraftRequest { DraftId = draft.DraftId }, IntakeHost.As());
        Assert.Equal("半写的地址", back.Form.PremisesAddress);

        var missing = await RefusedAsync(() => _host.Client.SubmitAsync(back.Form, IntakeHost.As()).ResponseAsync);
        Assert.Equal("id_number", Assert.Single(missing).Field);
        Assert.Equal(1, await _host.CountAsync("application_drafts"));

        back.Form.IdNumber = "330424198001010012";
        await _host.Client.SaveDraftAsync(new SaveDraftRequest { DraftId = draft.DraftId, Form = back.Form }, IntakeHost.As());
        await _host.Client.SubmitAsync(back.Form, IntakeHost.As());
        Assert.Equal(0, await _host.CountAsync("application_drafts"));
        Assert.Equal(1, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_follow_a_requirements_file_of_the_deployment()
    {
        var file = TestData.NewFile("requirements", "json");
        await File.WriteAllTextAsync(file, """
            {
              "default": { "New": [ "IdCard" ] },
              "fields": {
                "default": { "New": { "id_number": "Required", "premises_address": "Required", "credit_code": "Optional" } },
                "counties": { "330424": { "New": { "credit_code": "Required", "id_number": "NotAsked" } } }
              }
            }
            """);
        await using var host = await IntakeHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Intake:RequirementsFile"] = file });
        var request = SampleApplications.Individual();
        request.IdNumber = "not asked, so not checked";

        var violation = Assert.Single(await RefusedAsync(() => host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync));
        Assert.Equal("credit_code", violation.Field);

        request.CreditCode = "91330424MA2B3C4D5Y";
        var reply = await host.Client.SubmitAsync(request, IntakeHost.As());
        var mine = await host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = reply.ApplicationId }, IntakeHost.As());
        Assert.Equal("", mine.Form.IdNumber);
        Assert.Equal("", mine.Form.FloorArea);
    }

    [Theory]
    [InlineData("business_name", "NotAsked")]
    [InlineData("floor_area", "Sometimes")]
    [InlineData("shoe_size", "Required")]
    public async Task Should_refuse_to_start_with_a_requirements_file_it_cannot_honour(string field, string requirement)
    {
        var file = TestData.NewFile("requirements", "json");
        await File.WriteAllTextAsync(file, $$"""{ "fields": { "default": { "New": { "{{field}}": "{{requirement}}" } } } }""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            IntakeHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Intake:RequirementsFile"] = file }));

        Assert.Contains(field, error.Message);
    }

    [Theory]
    [InlineData("suspend_from", 3, 90)]
    [InlineData("suspend_until", 10, 400)]
    [InlineData("suspend_until", 10, 5)]
    public async Task Should_refuse_a_suspension_too_soon_too_long_or_backwards(string field, int startsInDays, int lastsDays)
    {
        var today = DateTime.UtcNow.AddHours(8).Date;
        var request = Of(RequestType.Suspend);
        request.SuspendFrom = today.AddDays(startsInDays).ToString("yyyy-MM-dd");
        request.SuspendUntil = today.AddDays(startsInDays + lastsDays - 1).ToString("yyyy-MM-dd");
        if (lastsDays == 5)
        {
            request.SuspendUntil = today.AddDays(startsInDays - 1).ToString("yyyy-MM-dd");
        }

        var violation = Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync));
        Assert.Equal(field, violation.Field);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_accept_a_suspension_a_week_ahead_and_announce_its_period()
    {
        var today = DateTime.UtcNow.AddHours(8).Date;
        var request = Of(RequestType.Suspend);
        request.SuspendFrom = today.AddDays(7).ToString("yyyy-MM-dd");
        request.SuspendUntil = today.AddDays(7 + 364).ToString("yyyy-MM-dd");

        await _host.Client.SubmitAsync(request, IntakeHost.As());

        var body = await _host.ScalarAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE '%ApplicationSubmitted%'");
        Assert.Contains(request.SuspendFrom, body);
        Assert.Contains("330424100001", body);
    }

    /// <summary>The next 1 March at least a week away whose year ends in a 29 February (2027-03-01 → 2028-02-29).</summary>
    private static DateOnly LeapSuspensionStart()
    {
        var earliest = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(7);
        var start = new DateOnly(earliest.Year, 3, 1);
        while (start < earliest || !DateTime.IsLeapYear(start.Year + 1))
        {
            start = new DateOnly(start.Year + 1, 3, 1);
        }

        return start;
    }

    [Fact]
    public async Task Should_allow_a_suspension_of_one_calendar_year_across_29_february()
    {
        var start = LeapSuspensionStart();
        var request = Of(RequestType.Suspend);
        request.SuspendFrom = start.ToString("yyyy-MM-dd");
        request.SuspendUntil = new DateOnly(start.Year + 1, 2, 29).ToString("yyyy-MM-dd");

        await _host.Client.SubmitAsync(request, IntakeHost.As());

        Assert.Equal(1, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_refuse_a_suspension_of_a_day_more_than_a_calendar_year_in_words()
    {
        var start = LeapSuspensionStart();
        var request = Of(RequestType.Suspend);
        request.SuspendFrom = start.ToString("yyyy-MM-dd");
        request.SuspendUntil = new DateOnly(start.Year + 1, 3, 1).ToString("yyyy-MM-dd");

        var violation = Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync));

        Assert.Equal("suspend_until", violation.Field);
        Assert.Equal($"停业期限最长一年：自 {start:yyyy-MM-dd} 起停业，截止日最迟为 {start.Year + 1}-02-29", violation.Description);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Theory]
    [InlineData(2027, 3, 1, "2028-02-29")]
    [InlineData(2026, 6, 15, "2027-06-14")]
    [InlineData(2028, 2, 29, "2029-02-28")]
    public void Should_end_a_one_year_suspension_the_day_before_its_anniversary(int year, int month, int day, string last) =>
        Assert.Equal(last, Permits.Intake.Features.RequestRules.LastSuspensionDay(new DateOnly(year, month, day)).ToString("yyyy-MM-dd"));

    [Fact]
    public async Task Should_carry_the_change_date_and_the_consent_to_electronic_service_into_the_event()
    {
        var change = Of(RequestType.Change);
        change.ChangeItems.Add(ChangeItem.BusinessName);
        change.ChangedOn = "2026-01-05";
        change.ElectronicServiceConsent = true;

        var reply = await _host.Client.SubmitAsync(change, IntakeHost.As());

        var body = await _host.ScalarAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE '%ApplicationSubmitted%'");
        Assert.Contains("\"changedOn\":\"2026-01-05\"", body);
        Assert.Contains("\"electronicServiceConsent\":true", body);
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM applications WHERE electronic_service_consent = 1"));
        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = reply.ApplicationId }, IntakeHost.As());
        Assert.Equal("2026-01-05", mine.Form.ChangedOn);
        Assert.True(mine.Form.ElectronicServiceConsent);
    }

    [Fact]
    public async Task Should_refuse_a_change_date_in_the_future_and_default_to_no_consent()
    {
        var change = Of(RequestType.Change);
        change.ChangeItems.Add(ChangeItem.BusinessName);
        change.ChangedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(3).ToString("yyyy-MM-dd");

        var violation = Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(change, IntakeHost.As()).ResponseAsync));
        Assert.Equal("changed_on", violation.Field);

        change.ChangedOn = "";
        await _host.Client.SubmitAsync(change, IntakeHost.As());
        var body = await _host.ScalarAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE '%ApplicationSubmitted%'");
        Assert.Contains("\"electronicServiceConsent\":false", body);
    }

    [Fact]
    public async Task Should_ask_a_change_what_changed_and_announce_it()
    {
        var change = Of(RequestType.Change);

        var violation = Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(change, IntakeHost.As()).ResponseAsync));
        Assert.Equal("change_items", violation.Field);
        Assert.Contains("变更事项", violation.Description);

        change.ChangeItems.Add(ChangeItem.ResponsiblePerson);
        change.ChangeItems.Add(ChangeItem.BusinessName);
        change.ChangeItems.Add(ChangeItem.ResponsiblePerson);
        var reply = await _host.Client.SubmitAsync(change, IntakeHost.As());

        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = reply.ApplicationId }, IntakeHost.As());
        Assert.Equal([ChangeItem.BusinessName, ChangeItem.ResponsiblePerson], mine.Form.ChangeItems);
        var body = await _host.ScalarAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE '%ApplicationSubmitted%'");
        Assert.Contains("ResponsiblePerson", body);

        var newShop = SampleApplications.Individual();
        newShop.ChangeItems.Add(ChangeItem.Other);
        var other = await _host.Client.SubmitAsync(newShop, IntakeHost.As());
        Assert.Empty((await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = other.ApplicationId }, IntakeHost.As())).Form.ChangeItems);
    }

    [Theory]
    [InlineData("330421", "浙江省嘉兴市海盐县武原街道向阳路 18 号", "海盐县")]
    [InlineData("330424", "浙江省嘉兴市西塘镇塘东街 3 号", "嘉善县")]
    [InlineData("330424", "向阳路 18 号", "海盐县")]
    public async Task Should_refuse_premises_outside_the_chosen_county(string county, string address, string named)
    {
        var request = SampleApplications.Individual(county);
        request.PremisesAddress = address;

        var violation = Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync));

        Assert.Equal("premises_address", violation.Field);
        Assert.Contains(named, violation.Description);
    }

    [Fact]
    public async Task Should_accept_an_address_that_names_only_a_town_of_the_county()
    {
        var request = SampleApplications.Individual();
        request.PremisesAddress = "秦山街道核电大道 66 号";

        Assert.Equal("Submitted", (await _host.Client.SubmitAsync(request, IntakeHost.As())).Status);
    }

    [Fact]
    public async Task Should_refuse_a_licence_expiry_beyond_five_years()
    {
        var request = Of(RequestType.Renewal);
        request.LicenceValidTo = DateTime.UtcNow.AddYears(7).ToString("yyyy-MM-dd");

        Assert.Equal("licence_valid_to", Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync)).Field);
    }
}

public sealed class When_a_county_configures_the_form_on_sqlite() : When_a_county_configures_the_form("Sqlite");

public sealed class When_a_county_configures_the_form_on_postgresql() : When_a_county_configures_the_form("PostgreSql");
