using System.Globalization;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Licensing;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;
using ProtoRequestType = Permits.Contracts.Intake.V1.RequestType;

namespace Permits.Shared.Tests;

/// <summary>The one vocabulary: China time, the request-type catalogue and the 双公示 licensing fields.</summary>
public sealed class When_services_speak_of_days_request_types_and_disclosed_fields
{
    private static readonly County Haiyan = new("330424", "海盐县", "33", "海盐县烟草专卖局", "11330424002561234X", "盐烟专许", "海盐县武原街道");

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", "2026-12-31")]
    [InlineData("2026-12-31T16:00:00Z", "2027-01-01")]
    [InlineData("2027-01-01T00:30:00+09:00", "2026-12-31")]
    public void Should_count_legal_days_on_the_china_clock(string instant, string day)
    {
        Assert.Equal(day, ChinaTime.Text(ChinaTime.DateOf(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Should_start_a_day_at_midnight_china_time_and_read_dates_whatever_the_culture()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-12-05T16:00:00Z", CultureInfo.InvariantCulture), ChinaTime.StartOf(new DateOnly(2026, 12, 6)));

        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            Assert.True(ChinaTime.TryParseDate(" 2031-06-30 ", out var day));
            Assert.Equal(new DateOnly(2031, 6, 30), day);
            Assert.Equal("2031-06-30", ChinaTime.Text(day));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.False(ChinaTime.TryParseDate("2031/06/30", out _));
        Assert.Equal("", ChinaTime.Text((DateOnly?)null));
    }

    [Fact]
    public void Should_name_every_request_type_of_the_contract_once()
    {
        var protoValues = Enum.GetValues<ProtoRequestType>().Where(v => v != ProtoRequestType.Unspecified).ToList();

        Assert.Equal(protoValues.Count, RequestTypes.All.Count);
        Assert.All(protoValues, v => Assert.Equal(v, RequestTypes.Proto(RequestTypes.Code(v))));
        Assert.Equal(RequestTypes.All.Count, RequestTypes.All.Select(t => t.Label).Distinct().Count());
        Assert.Equal(("停业", "烟草专卖零售许可证停业"), (RequestTypes.Label(RequestTypes.Suspend), RequestTypes.Matter(RequestTypes.Suspend)));
        Assert.Equal("烟草专卖零售许可证核发", RequestTypes.Matter(RequestTypes.New));
        Assert.Equal(("Unknown", "烟草专卖零售许可证核发"), (RequestTypes.Label("Unknown"), RequestTypes.Matter("Unknown")));
        Assert.Equal([RequestTypes.New], RequestTypes.All.Where(t => !t.OnLicence).Select(t => t.Code));
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestTypes.Code(ProtoRequestType.Unspecified));
    }

    [Fact]
    public void Should_build_the_decision_fields_with_the_authority_and_the_person_masked()
    {
        var fields = LicensingDisclosure.By(Haiyan)
            .Holder("海盐县张记便利店", "", "张三丰")
            .Decision("准予行政许可决定书", "盐烟专许〔2026〕第00001号", new DateOnly(2026, 12, 6))
            .Content()
            .Status(LicensingDisclosure.InForce)
            .Fields;

        Assert.Equal("海盐县烟草专卖局", fields[LicensingFields.Authority]);
        Assert.Equal("11330424002561234X", fields[LicensingFields.AuthorityCreditCode]);
        Assert.Equal("张**", fields[LicensingFields.Representative]);
        Assert.Equal("2026-12-06", fields[LicensingFields.DecisionDate]);
        Assert.Equal(("普通", LicensingDisclosure.RetailScope, "有效"), (fields[LicensingFields.Category], fields[LicensingFields.Content], fields[LicensingFields.Status]));
        Assert.All(fields.Keys, k => Assert.NotEqual(k, LicensingFields.Label(k)));
    }

    [Fact]
    public void Should_build_a_progress_record_with_the_matter_of_its_request_type()
    {
        var fields = LicensingDisclosure.ForCase("YC330424202612060001", RequestTypes.Change).RequestType(RequestTypes.Change).Fields;

        Assert.Equal(3, fields.Count);
        Assert.Equal("烟草专卖零售许可证变更", fields[LicensingFields.Matter]);
        Assert.Equal("变更", fields[LicensingFields.RequestType]);
        Assert.True(PersonalData.IsPublicByLaw(LicensingFields.ApplicationNumber));
        Assert.False(PersonalData.IsPublicByLaw(LicensingFields.Representative));
    }

    [Fact]
    public void Should_back_off_exponentially_with_jitter_and_a_cap_after_failed_passes()
    {
        for (var failures = 1; failures <= 12; failures++)
        {
            var nominal = Math.Min(200 * Math.Pow(2, failures - 1), 30_000);
            var pause = PollingWorker.PauseAfterFailure(failures).TotalMilliseconds;
            Assert.InRange(pause, nominal * 0.75, nominal * 1.25);
        }

        Assert.InRange(PollingWorker.PauseAfterFailure(int.MaxValue).TotalMilliseconds, 22_500, 37_500);
    }
}
