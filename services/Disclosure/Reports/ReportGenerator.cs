using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Requests;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Reports;

/// <summary>
/// Builds a bureau's report for a year: what the system owns from its records (行政许可 decisions from the disclosure
/// log, section 三 from the disclosure requests, section 四 from their reconsideration and litigation outcomes, the
/// 好差评 figures from the ratings and their follow-up), the rest from the clerk's entries. Totals are computed from their parts here; the checks verify them wherever a
/// report comes from.
/// </summary>
public sealed class ReportGenerator(
    LicensingDecisions decisions, IRequestYearFigures requests, ServiceRatingFigures ratings, CountyDirectory counties)
{
    public const string LicensingSource = "本系统政务公开记录：准予许可、不予许可决定（按决定日期，北京时间）";

    public async Task<AnnualReport> GenerateAsync(SaveDraftRequest entries, CancellationToken cancellationToken)
    {
        var owned = await OwnedAsync(entries.CountyCode, entries.Year, cancellationToken);
        var county = counties.Get(entries.CountyCode);
        var active = entries.Active?.Clone() ?? new ActiveDisclosure();
        active.Rules ??= new DocumentRow();
        active.NormativeDocuments ??= new DocumentRow();
        active.Licensing ??= new ItemRow();
        active.OtherServices ??= new ItemRow();
        active.Penalties ??= new ItemRow();
        active.Enforcement ??= new ItemRow();
        active.Fees ??= new FeeRow();
        active.Procurement ??= new ProcurementRow();
        if (active.Procurement.TotalAmount.Length == 0)
        {
            active.Procurement.TotalAmount = "0";
        }

        active.Licensing.Decisions = owned.LicensingDecisions;
        return new AnnualReport
        {
            CountyCode = county.Code,
            Authority = county.Authority,
            Year = entries.Year,
            Title = ReportTemplate.Title(county.Authority, entries.Year),
            Overview = entries.Overview,
            Active = active,
            Requests = owned.Requests,
            Appeals = owned.Appeals,
            Problems = entries.Problems,
            OtherMatters = entries.OtherMatters,
            ServiceRatings = await ratings.ForYearAsync(county.Code, entries.Year, cancellationToken),
        };
    }

    /// <summary>The figures the system owns, as they stand in the records now.</summary>
    public async Task<OwnedFigures> OwnedAsync(string countyCode, int year, CancellationToken cancellationToken)
    {
        var licensing = await decisions.CountAsync(countyCode, year, cancellationToken);
        var figures = await requests.ForYearAsync(countyCode, year, cancellationToken);
        var appeals = await requests.AppealsForYearAsync(countyCode, year, cancellationToken);
        return new OwnedFigures(licensing, Table(figures), Appeals(appeals));
    }

    public static RequestTable Table(RequestYearFigures figures)
    {
        var table = new RequestTable
        {
            NewlyReceived = Row(figures.NewlyReceived),
            CarriedOver = Row(figures.CarriedOverFromLastYear),
            CarriedForward = Row(figures.CarriedForwardToNextYear),
        };
        foreach (var line in ReportTemplate.Outcomes)
        {
            table.Outcomes.Add(new OutcomeRow
            {
                Outcome = line.Outcome.ToString(),
                Label = ReportTemplate.OutcomeLabel(line),
                Counts = Row(figures.Outcomes.TryGetValue(line.Outcome, out var counts) ? counts : CategoryCounts.Zero),
            });
        }

        table.OutcomeTotal = Sum(table.Outcomes.Select(o => o.Counts));
        return table;
    }

    public static AppealTable Appeals(AppealFigures figures) => new()
    {
        Reconsideration = Group(figures.Reconsideration),
        LitigationDirect = Group(figures.LitigationDirect),
        LitigationAfterReconsideration = Group(figures.LitigationAfterReconsideration),
    };

    public static CategoryRow Row(CategoryCounts counts)
    {
        var row = new CategoryRow
        {
            NaturalPerson = counts[ApplicantCategory.NaturalPerson],
            CommercialEnterprise = counts[ApplicantCategory.CommercialEnterprise],
            ResearchInstitution = counts[ApplicantCategory.ResearchInstitution],
            SocialWelfareOrganisation = counts[ApplicantCategory.SocialWelfareOrganisation],
            LegalServiceInstitution = counts[ApplicantCategory.LegalServiceInstitution],
            OtherOrganisation = counts[ApplicantCategory.Other],
        };
        row.Total = PartsOf(row);
        return row;
    }

    /// <summary>The sum of the six applicant columns (what 总计 must be).</summary>
    public static int PartsOf(CategoryRow row) =>
        row.NaturalPerson + row.CommercialEnterprise + row.ResearchInstitution + row.SocialWelfareOrganisation
        + row.LegalServiceInstitution + row.OtherOrganisation;

    private static CategoryRow Sum(IEnumerable<CategoryRow> rows)
    {
        var sum = new CategoryRow();
        foreach (var row in rows)
        {
            sum.NaturalPerson += row.NaturalPerson;
            sum.CommercialEnterprise += row.CommercialEnterprise;
            sum.ResearchInstitution += row.ResearchInstitution;
            sum.SocialWelfareOrganisation += row.SocialWelfareOrganisation;
            sum.LegalServiceInstitution += row.LegalServiceInstitution;
            sum.OtherOrganisation += row.OtherOrganisation;
            sum.Total += row.Total;
        }

        return sum;
    }

    private static AppealGroup Group(AppealCounts counts) => new()
    {
        Upheld = counts.Upheld,
        Corrected = counts.Corrected,
        Other = counts.Other,
        Pending = counts.Pending,
        Total = counts.Total,
    };
}

/// <summary>What the records say, for the 数据来源 check and the generator.</summary>
public sealed record OwnedFigures(int LicensingDecisions, RequestTable Requests, AppealTable Appeals);
