using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Testing;
using Record = Permits.Contracts.Disclosure.V1.Record;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The embedded mode, after a 新办 licence was delivered: its holder applies to suspend it (停业) and later to resume
/// business (恢复营业), each request taken through Review by real officers and applied by Certificate to the same
/// licence, with Intake concluding the request and the disclosure log publishing each step. The holder rates the second
/// one 不满意: the 差评 follow-up is opened, answered by the head and counted in the annual report draft.
/// </summary>
public sealed class When_the_holder_of_a_delivered_licence_suspends_and_resumes_business : IAsyncLifetime
{
    private WebApplication _app = null!;
    private LicenceJourney _journey = null!;
    private Certificates.CertificatesClient _certificates = null!;
    private AnnualReports.AnnualReportsClient _reports = null!;
    private readonly string _dataDirectory = TestData.NewFolder("embedded-tests");

    public async Task InitializeAsync()
    {
        // The same embedded host as When_a_licence_travels_the_embedded_system: real tokens for both kinds of user.
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        var portal = $"http://127.0.0.1:{FreePort.Next()}";
        var sms = $"http://127.0.0.1:{FreePort.Next()}";
        var configuration = new Dictionary<string, string?>(OfficerSignIn.ClientConfiguration(0));
        foreach (var (key, value) in ShopkeeperSignIn.ClientConfiguration(1))
        {
            configuration[key] = value;
        }

        configuration["urls"] = portal;
        configuration["Grpc:Url"] = grpc;
        configuration["DataDirectory"] = _dataDirectory;
        configuration["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}";
        configuration["FakeCourier:StepSeconds"] = "0.3";
        configuration["Delivery:BookingPollMs"] = "200";
        configuration["Delivery:TrackingPollMs"] = "300";
        configuration["Demo:Seed"] = "false";
        configuration["FakeSms:Url"] = sms;
        configuration["Certificate:Suspensions:PollSeconds"] = "0.2";

        _app = EmbeddedHost.Build([], configuration);
        await _app.StartAsync();
        var channel = Channels.For(grpc);
        _journey = new LicenceJourney(channel, channel, channel, new OfficerSignIn(portal), new ShopkeeperSignIn(portal, sms));
        _certificates = new Certificates.CertificatesClient(channel);
        _reports = new AnnualReports.AnnualReportsClient(channel);
    }

    public async Task DisposeAsync()
    {
        _journey.Officers.Dispose();
        _journey.Shopkeepers.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Should_suspend_then_restore_the_same_licence_and_conclude_each_request()
    {
        var original = SampleApplications.Individual("330424");
        var delivered = await _journey.TravelAsync(original);
        var licence = delivered.LicenceNumber;
        Assert.Matches(@"^3304241\d{5}$", licence);
        var head = await _journey.Officers.AsAsync("330424", "head");
        var shopkeeper = await _journey.Shopkeepers.AsAsync(original.ContactPhone);

        // The licence number is public: another shopkeeper's 注销 of it is refused, naming the ID number, and not filed.
        var strangers = SampleApplications.OnLicence(original, RequestType.Cancel, licence);
        strangers.IdNumber = SampleApplications.StrangersIdNumber;
        strangers.ContactPhone = "13700579876";
        var refused = await Assert.ThrowsAsync<RpcException>(() => _journey.SubmitAsync(strangers));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("id_number", refused.Status.Detail);
        var stranger = await _journey.Shopkeepers.AsAsync(strangers.ContactPhone);
        Assert.Empty((await _journey.Intake.ListMyApplicationsAsync(new ListMyApplicationsRequest(), stranger)).Applications);

        // 停业: from ten days ahead (the form asks for at least seven) for a month.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var suspend = SampleApplications.OnLicence(original, RequestType.Suspend, licence);
        suspend.SuspendFrom = Day(today.AddDays(10));
        suspend.SuspendUntil = Day(today.AddDays(40));
        var suspension = await ApplyThroughReviewAsync(suspend, "Suspend");

        // Approved ten days before its first day: scheduled, and the licence stays valid until then.
        // Certificate learns of the approval by message: wait until it has scheduled the suspension.
        var beforeStart = await Eventually.GetAsync(
            async () => await _certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = licence }, head),
            c => c.ScheduledSuspensionFrom.Length > 0, LicenceJourney.StepTimeout, $"the 停业 of {licence} scheduled");
        Assert.Equal("Valid", beforeStart.Status);
        Assert.Equal((suspend.SuspendFrom, suspend.SuspendUntil), (beforeStart.ScheduledSuspensionFrom, beforeStart.ScheduledSuspensionUntil));
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "certificate.db")}"))
        {
            // The first day comes: bring it forward (the embedded host's clock cannot be moved ten days).
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText =
                "UPDATE licence_requests SET suspend_from = $today WHERE application_id = $id AND suspension_scheduled_at IS NOT NULL";
            command.Parameters.AddWithValue("$today", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$id", suspension.ApplicationId.ToString());
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var suspended = await WaitForLicenceAsync(licence, "SUSPENDED");
        var begun = await _certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = licence }, head);
        Assert.Equal("", begun.ScheduledSuspensionFrom);
        Assert.Equal("ON_RECORD", suspended.Authenticity);
        var certificate = await _certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = licence }, head);
        Assert.Equal(("Suspended", licence, 1), (certificate.Status, certificate.LicenceNumber, certificate.Version));
        Assert.Contains(suspension.Approved.DecisionDocumentNumber, certificate.StatusReason);
        // The paper licence the holder was served: its QR token is genuine and now reads suspended.
        var scanned = await _certificates.VerifyAsync(new VerifyRequest { Token = certificate.Token });
        Assert.Equal(("GENUINE", "SUSPENDED"), (scanned.Authenticity, scanned.Status));
        // The holder (the same signed-in shopkeeper) may read their licence too.
        var seenByHolder = await _certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = licence }, shopkeeper);
        Assert.Equal("Suspended", seenByHolder.Status);

        var suspendedRecord = await WaitForLicenceRecordAsync(delivered.ApplicationNumber, "certificate-suspended");
        Assert.Equal(licence, suspendedRecord.PublicFields["XK_XKBH"]);
        Assert.Equal("停业", suspendedRecord.PublicFields["XK_ZT"]);
        await ShouldBeConcludedAndRateableAsync(suspension.ApplicationId, licence, shopkeeper, RatingLevel.VerySatisfied);
        await ShouldDiscloseEachStepOfTheRequestAsync(suspension.ApplicationNumber, "停业");

        // 恢复营业: no period, the same licence.
        var resume = SampleApplications.OnLicence(original, RequestType.Resume, licence);
        var resumption = await ApplyThroughReviewAsync(resume, "Resume");

        var valid = await WaitForLicenceAsync(licence, "VALID");
        Assert.Equal("ON_RECORD", valid.Authenticity);
        var restored = await _certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = licence }, head);
        Assert.Equal(("Valid", licence, 1), (restored.Status, restored.LicenceNumber, restored.Version));
        var rescanned = await _certificates.VerifyAsync(new VerifyRequest { Token = restored.Token });
        Assert.Equal(("GENUINE", "VALID"), (rescanned.Authenticity, rescanned.Status));

        var resumedRecord = await WaitForLicenceRecordAsync(delivered.ApplicationNumber, "certificate-resumed");
        Assert.Equal(licence, resumedRecord.PublicFields["XK_XKBH"]);
        Assert.Equal("有效", resumedRecord.PublicFields["XK_ZT"]);
        Assert.True(resumedRecord.Position > suspendedRecord.Position, "The resumption is logged after the suspension.");
        await ShouldBeConcludedAndRateableAsync(resumption.ApplicationId, licence, shopkeeper, RatingLevel.Dissatisfied);
        await ShouldDiscloseEachStepOfTheRequestAsync(resumption.ApplicationNumber, "恢复营业");
        await ShouldFollowUpThePoorRatingAndCountItAsync(resumption.ApplicationId, head);

        // One licence, one life: issued, suspended, resumed; never a second number, never a second paper.
        var history = await _certificates.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = licence }, head);
        Assert.Equal(["Issued", "Suspended", "Resumed"], history.Events.Select(e => e.Kind));
        var licences = await _certificates.SearchLicencesAsync(new SearchLicencesRequest { Limit = 100 }, head);
        Assert.Equal([licence], licences.Licences.Select(l => l.LicenceNumber));
        var first = await _journey.Intake.GetApplicationAsync(
            new GetApplicationRequest { ApplicationId = delivered.ApplicationId, QueryCode = _journey.QueryCodeOf(delivered.ApplicationId) });
        Assert.Equal("Delivered", first.Status);
    }

    /// <summary>
    /// The holder's request on their licence: submitted signed in, accepted by the clerk, decided on the reviewer's
    /// opinion alone. The head may not approve before the opinion, and Review asks for no site inspection.
    /// </summary>
    private async Task<(string ApplicationId, string ApplicationNumber, Case Approved)> ApplyThroughReviewAsync(SubmitApplicationRequest request, string requestType)
    {
        var submitted = await _journey.SubmitAsync(request);
        var reviewCase = await _journey.WaitForCaseAsync(submitted.ApplicationId, request.CountyCode);
        Assert.Equal(("AwaitingAcceptance", requestType), (reviewCase.Stage, reviewCase.RequestType));
        // The officers see whose licence it is: the individual business's holder, matched by the 负责人's ID number.
        Assert.Equal((request.LicenceNumber, "IdNumber"), (reviewCase.LicenceNumber, reviewCase.HolderMatch));

        var accepted = await _journey.Review.AcceptAsync(LicenceJourney.Act(reviewCase), await _journey.Officers.AsAsync("330424", "clerk"));
        Assert.Equal("UnderReview", accepted.Stage);

        var head = await _journey.Officers.AsAsync("330424", "head");
        var early = await Assert.ThrowsAsync<RpcException>(() => _journey.Review.ApproveAsync(LicenceJourney.Act(reviewCase), head).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Contains("审核意见", early.Status.Detail);
        Assert.DoesNotContain("实地核查", early.Status.Detail);

        var approved = await _journey.DecideOnOpinionAsync(reviewCase);
        Assert.Equal("Approved", approved.Stage);
        Assert.Empty(approved.InspectionDocumentNumber);
        Assert.NotEmpty(approved.DecisionDocumentNumber);
        return (submitted.ApplicationId, submitted.ApplicationNumber, approved);
    }

    /// <summary>Intake: the request is 已办结 with the licence's number, and its owner may rate it once.</summary>
    private async Task ShouldBeConcludedAndRateableAsync(string applicationId, string licence, Metadata shopkeeper, RatingLevel level)
    {
        var completed = await _journey.WaitForStatusAsync(applicationId, "Completed");
        Assert.Equal(("已办结", licence), (completed.StatusLabel, completed.LicenceNumber));
        Assert.Empty(completed.NextDeadline);

        var mine = await _journey.Intake.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId }, shopkeeper);
        Assert.True(mine.CanRate, "A concluded request may be rated.");
        var rated = await _journey.Intake.RateAsync(
            new RateServiceRequest { ApplicationId = applicationId, Level = level, Comment = level >= RatingLevel.Dissatisfied ? "等候时间过长" : "" },
            shopkeeper);
        Assert.Equal(level, rated.Rating);
        Assert.False(rated.CanRate);
    }

    /// <summary>
    /// 好差评: the 差评 waits on the head's board, the head records the follow-up, and the county's annual report draft
    /// counts both ratings of the year and the 差评 as followed up on time.
    /// </summary>
    private async Task ShouldFollowUpThePoorRatingAndCountItAsync(string applicationId, Metadata head)
    {
        var waiting = await Eventually.GetAsync(
            async () => (await _journey.Review.GetBoardAsync(new GetBoardRequest(), head)).PoorRatingsWaiting.ToList(),
            r => r.Count > 0, LicenceJourney.StepTimeout, "the 差评 on the head's board");
        Assert.Equal(applicationId, Assert.Single(waiting).ApplicationId);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await _journey.Review.RecordRatingFollowUpAsync(new RecordRatingFollowUpRequest
        {
            ApplicationId = applicationId, ContactedOn = Day(today), ContactMethod = "电话", RaterSaid = "等候时间过长",
            Rectification = "高峰时段增开窗口",
        }, head);

        var clerk = await _journey.Officers.AsAsync("330424", "gongkai");
        var draft = await Eventually.GetAsync(
            async () => await _reports.GetDraftAsync(new Permits.Contracts.Disclosure.V1.GetDraftRequest { CountyCode = "330424", Year = today.Year }, clerk),
            d => d.Report.ServiceRatings.FollowedUpOnTime == 1, LicenceJourney.StepTimeout, "the 差评 counted as followed up in the report");
        var figures = draft.Report.ServiceRatings;
        Assert.Equal((2, 1, 1, 1, 0), (figures.Received, figures.VerySatisfied, figures.Dissatisfied, figures.Poor, figures.Open));
        Assert.Contains("其中差评1件，已全部回访整改，按期办结1件", draft.SuggestedOtherMatters);
    }

    /// <summary>The request's own records: one per step it took (no site inspection, no certificate, no shipment).</summary>
    private async Task ShouldDiscloseEachStepOfTheRequestAsync(string applicationNumber, string typeLabel)
    {
        string[] kinds = ["application-submitted", "application-accepted", "review-opinion-recorded", "licence-approved"];
        var records = await _journey.WaitForRecordsAsync(applicationNumber, kinds.Length);
        Assert.Equal(kinds, records.Select(r => r.Kind));
        Assert.Equal(typeLabel, records[0].PublicFields["申请类型"]);
        Assert.All(records, r => Assert.Equal("海盐县烟草专卖局", r.Authority));
        // Each record names the matter asked for (烟草专卖零售许可证停业, …), not a new licence's 核发.
        Assert.All(records, r => Assert.Contains("烟草专卖零售许可证" + typeLabel, r.Summary));
    }

    /// <summary>Certificate's public answer for the licence, once it has the status expected.</summary>
    private Task<VerifyResponse> WaitForLicenceAsync(string licence, string status) =>
        Eventually.GetAsync(
            async () => await _certificates.VerifyAsync(new VerifyRequest { LicenceNumber = licence }),
            v => v.Status == status, LicenceJourney.StepTimeout, $"licence {licence} to verify as {status}");

    /// <summary>
    /// The licence's disclosure record of one kind. Certificate files lifecycle records under the application the
    /// licence was issued for (the 新办), not under the request that asked for the step.
    /// </summary>
    private async Task<Record> WaitForLicenceRecordAsync(string licenceApplicationNumber, string kind)
    {
        var records = await Eventually.GetAsync(
            async () => (await _journey.Disclosure.ListRecordsAsync(new ListRecordsRequest
            {
                ApplicationNumber = licenceApplicationNumber, Kinds = { kind }, PageSize = 100,
            })).Records.ToList(),
            r => r.Count > 0, LicenceJourney.StepTimeout, $"a {kind} record of {licenceApplicationNumber}");
        return Assert.Single(records);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
