using Permits.Contracts.Disclosure;
using Permits.Disclosure.Reports;
using Permits.Disclosure.Requests;

namespace Permits.Reports.Tests;

/// <summary>The template's fixed parts stay in step with the catalogues they come from.</summary>
public sealed class When_the_template_is_read
{
    [Fact]
    public void Should_count_exactly_the_licensing_decision_kinds_in_its_sql()
    {
        Assert.Equal([DisclosureKinds.LicenceApproved, DisclosureKinds.LicenceDenied], LicensingDecisions.Kinds);
        Assert.All(LicensingDecisions.Kinds, kind => Assert.Contains(kind, DisclosureKinds.Decisions));
        Assert.All(LicensingDecisions.Kinds, kind => Assert.Contains($"'{kind}'", LicensingDecisions.CountSql));
        Assert.Contains($"'{DisclosureKinds.RecordWithdrawn}'", LicensingDecisions.CountSql);
    }

    [Fact]
    public void Should_list_every_request_outcome_once_in_the_requests_order()
    {
        Assert.Equal(Enum.GetValues<RequestOutcome>(), ReportTemplate.Outcomes.Select(o => o.Outcome));
        Assert.Equal(Enum.GetValues<ApplicantCategory>().Cast<ApplicantCategory?>(), ReportTemplate.Columns.Take(6).Select(c => c.Category));
    }
}
