using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Requests;

namespace Permits.DisclosureRequests.Tests;

/// <summary>Sections 三 and 四 of the annual report, counted from what the clerks did.</summary>
public abstract class When_the_year_is_counted(RequestsHost host)
{
    private static readonly ApplicantCategory[] Categories = Enum.GetValues<ApplicantCategory>();

    [Fact]
    public async Task Should_count_each_outcome_in_its_row_and_the_requesters_column()
    {
        const string county = RequestsHost.Jiashan;
        var clerk = RequestsHost.Clerk(county);
        var expected = new Dictionary<(RequestOutcome, ApplicantCategory), int>();
        var outcomes = Enum.GetValues<RequestOutcome>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            for (var k = 0; k < i % 3 + 1; k++)
            {
                var outcome = outcomes[i];
                var category = Categories[(i + k) % Categories.Length];
                host.Time.Set(2026, 3, 2);
                var filed = await host.Public.FileRequestAsync(Samples.Of(category.ToString(), county));
                await HandleAsync(filed, outcome, clerk);
                expected[(outcome, category)] = expected.GetValueOrDefault((outcome, category)) + 1;
            }
        }

        var figures = await host.Figures.ForYearAsync(county, 2026, CancellationToken.None);

        foreach (var outcome in outcomes)
        {
            foreach (var category in Categories)
            {
                Assert.True(expected.GetValueOrDefault((outcome, category)) == figures.Outcomes[outcome][category],
                    $"{outcome} × {category}: expected {expected.GetValueOrDefault((outcome, category))}, counted {figures.Outcomes[outcome][category]}");
            }
        }

        Assert.Equal(expected.Values.Sum(), figures.NewlyReceived.Total);
        Assert.Equal(0, figures.CarriedForwardToNextYear.Total);
        AssertBalanced(figures);
    }

    [Fact]
    public async Task Should_carry_open_requests_from_one_year_into_the_next()
    {
        const string county = RequestsHost.Haining;
        var clerk = RequestsHost.Clerk(county);
        host.Time.Set(2025, 3, 3);
        var answeredIn2025 = await host.Public.FileRequestAsync(Samples.Of("NaturalPerson", county));
        host.Time.Set(2025, 3, 10);
        await Answer(answeredIn2025, "Disclosed", clerk);
        host.Time.Set(2025, 12, 22);
        var openAtYearEnd = await host.Public.FileRequestAsync(Samples.Of("CommercialEnterprise", county));
        host.Time.Set(2025, 12, 29);
        var awaitingCorrection = await host.Public.FileRequestAsync(Samples.Of("Other", county));
        host.Time.Set(2025, 12, 30);
        await host.Desk.RequestCorrectionAsync(new RequestInformationCorrection
        {
            RequestNumber = awaitingCorrection.RequestNumber,
            Notice = "请写明所需信息的名称",
        }, clerk);
        host.Time.Set(2026, 1, 5);
        await host.Public.SubmitCorrectionAsync(new SubmitInformationCorrection
        {
            RequestNumber = awaitingCorrection.RequestNumber,
            QueryCode = awaitingCorrection.QueryCode,
            Description = "2025 年 12 月的许可决定书目录",
        });
        host.Time.Set(2026, 1, 12);
        await Answer(openAtYearEnd, "Disclosed", clerk);
        host.Time.Set(2026, 1, 20);
        await Answer(awaitingCorrection, "UnavailableNotHeld", clerk);
        host.Time.Set(2026, 6, 1);
        var openAt2026End = await host.Public.FileRequestAsync(Samples.Of("ResearchInstitution", county));
        Assert.StartsWith("YSQ-330481-2026-", openAt2026End.RequestNumber);

        var y2025 = await host.Figures.ForYearAsync(county, 2025, CancellationToken.None);
        var y2026 = await host.Figures.ForYearAsync(county, 2026, CancellationToken.None);

        Assert.Equal(Counts(NaturalPerson: 1, CommercialEnterprise: 1, Other: 1), Flat(y2025.NewlyReceived));
        Assert.Equal(Counts(), Flat(y2025.CarriedOverFromLastYear));
        Assert.Equal(Counts(NaturalPerson: 1), Flat(y2025.Outcomes[RequestOutcome.Disclosed]));
        Assert.Equal(Counts(CommercialEnterprise: 1, Other: 1), Flat(y2025.CarriedForwardToNextYear));
        Assert.Equal(Flat(y2025.CarriedForwardToNextYear), Flat(y2026.CarriedOverFromLastYear));
        Assert.Equal(Counts(ResearchInstitution: 1), Flat(y2026.NewlyReceived));
        Assert.Equal(Counts(CommercialEnterprise: 1), Flat(y2026.Outcomes[RequestOutcome.Disclosed]));
        Assert.Equal(Counts(Other: 1), Flat(y2026.Outcomes[RequestOutcome.UnavailableNotHeld]));
        Assert.Equal(Counts(ResearchInstitution: 1), Flat(y2026.CarriedForwardToNextYear));
        AssertBalanced(y2025);
        AssertBalanced(y2026);
    }

    [Fact]
    public async Task Should_count_reconsiderations_and_lawsuits_by_their_result_at_year_end()
    {
        const string county = RequestsHost.Kunshan;
        var clerk = RequestsHost.Clerk(county);
        host.Time.Set(2026, 1, 5);
        var filed = await host.Public.FileRequestAsync(Samples.Of("NaturalPerson", county));
        host.Time.Set(2026, 1, 20);
        await Answer(filed, "WithheldThirdPartyRights", clerk);
        host.Time.Set(2026, 2, 2);
        var tooEarly = await Samples.FailsAsync(() => host.Desk.RecordAppealAsync(new RecordInformationAppeal
        {
            RequestNumber = filed.RequestNumber, Kind = "LitigationAfterReconsideration", FiledOn = "2026-02-01",
        }, clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, tooEarly.StatusCode);
        var withReconsideration = await host.Desk.RecordAppealAsync(new RecordInformationAppeal
        {
            RequestNumber = filed.RequestNumber, Kind = "Reconsideration", FiledOn = "2026-02-01",
        }, clerk);
        host.Time.Set(2026, 3, 2);
        var appealId = Assert.Single(withReconsideration.Appeals).AppealId;
        await host.Desk.RecordAppealOutcomeAsync(new RecordInformationAppealOutcome
        {
            RequestNumber = filed.RequestNumber, AppealId = appealId, Result = "Upheld", ConcludedOn = "2026-03-01",
        }, clerk);
        var twice = await Samples.FailsAsync(() => host.Desk.RecordAppealOutcomeAsync(new RecordInformationAppealOutcome
        {
            RequestNumber = filed.RequestNumber, AppealId = appealId, Result = "Corrected", ConcludedOn = "2026-03-02",
        }, clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        await host.Desk.RecordAppealAsync(new RecordInformationAppeal
        {
            RequestNumber = filed.RequestNumber, Kind = "LitigationAfterReconsideration", FiledOn = "2026-03-02",
        }, clerk);
        await host.Desk.RecordAppealAsync(new RecordInformationAppeal
        {
            RequestNumber = filed.RequestNumber, Kind = "LitigationDirect", FiledOn = "2026-02-20", Result = "Corrected", ConcludedOn = "2026-03-01",
        }, clerk);

        var appeals = await host.Figures.AppealsForYearAsync(county, 2026, CancellationToken.None);
        var message = await host.Desk.GetYearFiguresAsync(new GetInformationRequestFiguresRequest { Year = 2026 }, clerk);

        Assert.Equal(new AppealCounts(1, 0, 0, 0), appeals.Reconsideration);
        Assert.Equal(new AppealCounts(0, 1, 0, 0), appeals.LitigationDirect);
        Assert.Equal(new AppealCounts(0, 0, 0, 1), appeals.LitigationAfterReconsideration);
        Assert.Equal(new AppealCounts(0, 0, 0, 0), (await host.Figures.AppealsForYearAsync(county, 2025, CancellationToken.None)).Reconsideration);
        Assert.Equal(RequestsHost.Kunshan, message.CountyCode);
        Assert.Equal(
            ["Reconsideration", "LitigationDirect", "LitigationAfterReconsideration"],
            message.Appeals.Select(a => a.Kind));
        Assert.Equal(1, message.Appeals[2].Pending);
        var keys = message.Rows.Select(r => r.Key).ToList();
        Assert.Equal(25, keys.Count);
        Assert.Equal(["NewlyReceived", "CarriedOverFromLastYear", "Disclosed"], keys.Take(3));
        Assert.Equal(["Total", "CarriedForwardToNextYear"], keys.TakeLast(2));
        Assert.Equal(1, message.Rows.Single(r => r.Key == "WithheldThirdPartyRights").Counts["NaturalPerson"]);
        Assert.Equal(1, message.Rows.Single(r => r.Key == "Total").Total);
    }

    [Fact]
    public async Task Should_refuse_the_figures_to_officers_of_other_roles()
    {
        var hidden = await Samples.FailsAsync(() => host.Desk.GetYearFiguresAsync(
            new GetInformationRequestFiguresRequest { Year = 2026 },
            RequestsHost.Bearer(Permits.Testing.Tokens.OfficerFor("permits-disclosure", RequestsHost.Haiyan, "head"))).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, hidden.StatusCode);
    }

    /// <summary>一 + 二 = 三（总计） + 四, column by column.</summary>
    private static void AssertBalanced(RequestYearFigures figures)
    {
        foreach (var category in Categories)
        {
            var answered = figures.Outcomes.Values.Sum(c => c[category]);
            Assert.Equal(
                figures.NewlyReceived[category] + figures.CarriedOverFromLastYear[category],
                answered + figures.CarriedForwardToNextYear[category]);
        }
    }

    private async Task HandleAsync(FiledInformationRequest filed, RequestOutcome outcome, Metadata clerk)
    {
        switch (outcome)
        {
            case RequestOutcome.OtherOverdueCorrection:
                await host.Desk.RequestCorrectionAsync(new RequestInformationCorrection
                {
                    RequestNumber = filed.RequestNumber, Notice = "请写明所需信息的名称", CorrectionWorkingDays = 1,
                }, clerk);
                host.Time.Set(2026, 3, 5);
                await host.Desk.CloseOverdueCorrectionAsync(new CloseOverdueCorrectionRequest { RequestNumber = filed.RequestNumber }, clerk);
                break;
            case RequestOutcome.UnavailableStillUnclear:
                await host.Desk.RequestCorrectionAsync(new RequestInformationCorrection
                {
                    RequestNumber = filed.RequestNumber, Notice = "请写明所需信息的名称",
                }, clerk);
                await host.Public.SubmitCorrectionAsync(new SubmitInformationCorrection
                {
                    RequestNumber = filed.RequestNumber, QueryCode = filed.QueryCode, Description = "还是不太清楚的描述",
                });
                await Answer(filed, outcome.ToString(), clerk);
                break;
            default:
                await Answer(filed, outcome.ToString(), clerk);
                break;
        }
    }

    private Task Answer(FiledInformationRequest filed, string outcome, Metadata clerk) =>
        host.Desk.AnswerAsync(new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = outcome, Reason = "依据条例相关规定" }, clerk).ResponseAsync;

    private static Dictionary<ApplicantCategory, int> Flat(CategoryCounts counts) => Categories.ToDictionary(c => c, c => counts[c]);

    private static Dictionary<ApplicantCategory, int> Counts(
        int NaturalPerson = 0, int CommercialEnterprise = 0, int ResearchInstitution = 0, int SocialWelfareOrganisation = 0,
        int LegalServiceInstitution = 0, int Other = 0) => new()
    {
        [ApplicantCategory.NaturalPerson] = NaturalPerson,
        [ApplicantCategory.CommercialEnterprise] = CommercialEnterprise,
        [ApplicantCategory.ResearchInstitution] = ResearchInstitution,
        [ApplicantCategory.SocialWelfareOrganisation] = SocialWelfareOrganisation,
        [ApplicantCategory.LegalServiceInstitution] = LegalServiceInstitution,
        [ApplicantCategory.Other] = Other,
    };
}

public sealed class When_the_year_is_counted_on_PostgreSql(PostgresFixture fixture)
    : When_the_year_is_counted(fixture.Host), IClassFixture<PostgresFixture>;

public sealed class When_the_year_is_counted_on_Sqlite(SqliteFixture fixture)
    : When_the_year_is_counted(fixture.Host), IClassFixture<SqliteFixture>;
