using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Record = Permits.Contracts.Disclosure.V1.Record;

namespace Permits.Testing;

/// <summary>
/// What a journey through the whole system must leave behind.
/// <para>
/// The disclosure log's guarantee, as these assertions hold it: the log is append-only and hash-chained in
/// <em>arrival</em> order. Its records come from several services' outboxes (Intake, Review, Certificate, Delivery),
/// each relayed on its own, so one application's steps may arrive out of causal order (under load a
/// <c>certificate-issued</c> can be appended before the <c>licence-approved</c> that caused it); positions and the
/// chain say when a record was published, not when the step happened. Each record carries the step's own
/// <c>occurred_at</c>, stamped by the service that took the step, and every view of one application's steps orders by
/// it. So per application: every step exactly once, in causal order by <c>occurred_at</c>, and the chain intact.
/// </para>
/// </summary>
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
            Assert_every_step_once_in_the_order_it_happened(records);
            Assert.All(records, r => Assert.Equal("海盐县烟草专卖局", r.Authority));
            Assert.Equal(delivered.LicenceNumber, records.Single(r => r.Kind == "certificate-issued").PublicFields["XK_XKBH"]);
            // The responsible person is a natural person: the public sees the family name only.
            Assert.Equal("王**", records.Single(r => r.Kind == "licence-approved").PublicFields["XK_FRDB"]);
            Assert.DoesNotContain(records, r => r.PublicFields.Values.Any(v => v.Contains("330424198001010012") || v.Contains("13800571234")));
        }

        var chain = await journey.Disclosure.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(chain.Intact, $"the chain breaks at position {chain.BrokenAtPosition}: {chain.Reason}");
        Assert.Equal(long.Parse(first.LicenceNumber[7..]) + 1, long.Parse(second.LicenceNumber[7..]));
    }

    /// <summary>
    /// What many journeys at once must leave behind: every licence delivered, licence numbers unique and, per county
    /// and holder type, gap-free; each application's happy-path disclosure records exactly once, in causal order; the
    /// chain intact. For a system that ran nothing but these journeys.
    /// </summary>
    public static async Task Should_have_delivered_every_licence_once(LicenceJourney journey, IReadOnlyList<Application> delivered)
    {
        Assert.All(delivered, application => Assert.Equal("Delivered", application.Status));
        Assert.All(delivered, application => Assert.Matches(@"^\d{12}$", application.LicenceNumber));
        var shared = delivered.GroupBy(a => a.LicenceNumber).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(a => a.ApplicationNumber))}").ToList();
        Assert.True(shared.Count == 0, $"licence numbers given to more than one application: {string.Join("; ", shared)}");
        foreach (var series in delivered.GroupBy(a => a.LicenceNumber[..7]))
        {
            var serials = series.Select(a => long.Parse(a.LicenceNumber[7..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
            Assert.Equal(Enumerable.Range(0, serials.Count).Select(n => serials[0] + n), serials);
        }

        await Parallel.ForEachAsync(delivered, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (application, _) =>
            Assert_every_step_once_in_the_order_it_happened(
                await journey.WaitForRecordsAsync(application.ApplicationNumber, LicenceJourney.HappyPathKinds.Length)));

        var chain = await journey.Disclosure.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(chain.Intact, $"the chain breaks at position {chain.BrokenAtPosition}: {chain.Reason}");
    }

    /// <summary>
    /// One application's records: each happy-path step exactly once, in causal order by occurred_at (whatever order
    /// they were appended in), each its own link of the chain (the whole chain is verified by the caller).
    /// </summary>
    private static void Assert_every_step_once_in_the_order_it_happened(IReadOnlyList<Record> records)
    {
        Assert.Equal(LicenceJourney.HappyPathKinds.Order(StringComparer.Ordinal), records.Select(r => r.Kind).Order(StringComparer.Ordinal));
        // OrderBy is stable: steps stamped in the same instant keep their log order.
        Assert.Equal(LicenceJourney.HappyPathKinds, records.OrderBy(r => r.OccurredAt.ToDateTimeOffset()).Select(r => r.Kind));
        Assert.Equal(records.Count, records.Select(r => r.ChainSequence).Distinct().Count());
        Assert.All(records, r => Assert.Matches("^[0-9a-f]{64}$", r.RecordHash));
    }

    private static SubmitApplicationRequest SampleApplicationsFor(string county) => Testing.SampleApplications.Individual(county);
}
