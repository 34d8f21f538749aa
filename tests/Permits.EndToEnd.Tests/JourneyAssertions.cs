using Permits.Contracts.Intake.V1;

namespace Permits.EndToEnd.Tests;

public static class JourneyAssertions
{
    /// <summary>The whole happy path of two applications of one county and holder type.</summary>
    public static async Task Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step(LicenceJourney journey)
    {
        var first = await journey.TravelAsync(SampleApplicationsFor("330424"));
        var second = await journey.TravelAsync(SampleApplicationsFor("330424"));

        foreach (var delivered in new[] { first, second })
        {
            Assert.Equal("Delivered", delivered.Status);
            Assert.Matches(@"^3304241\d{5}$", delivered.LicenceNumber);
            Assert.NotEmpty(delivered.WaybillNumber);
            Assert.NotEmpty(delivered.DecisionDueBy);

            var records = await journey.WaitForRecordsAsync(delivered.ApplicationNumber, LicenceJourney.HappyPathKinds.Length);
            Assert.Equal(LicenceJourney.HappyPathKinds, records.Select(r => r.Kind));
            Assert.Equal(records.OrderBy(r => r.Position).Select(r => r.Position), records.Select(r => r.Position));
            Assert.All(records, r => Assert.Equal("海盐县烟草专卖局", r.Authority));
            Assert.Equal(delivered.LicenceNumber, records.Single(r => r.Kind == "certificate-issued").PublicFields["XK_XKBH"]);
            // The responsible person is a natural person: the public sees the family name only.
            Assert.Equal("王**", records.Single(r => r.Kind == "licence-approved").PublicFields["XK_FRDB"]);
            Assert.DoesNotContain(records, r => r.PublicFields.Values.Any(v => v.Contains("330424198001010012") || v.Contains("13800571234")));
        }

        Assert.Equal(long.Parse(first.LicenceNumber[7..]) + 1, long.Parse(second.LicenceNumber[7..]));
    }

    private static SubmitApplicationRequest SampleApplicationsFor(string county) => Testing.SampleApplications.Individual(county);
}
