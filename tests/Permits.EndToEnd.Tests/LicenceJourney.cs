using Grpc.Core;
using Grpc.Net.Client;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Testing;
using Record = Permits.Contracts.Disclosure.V1.Record;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// One application from submission to delivery, driven only through the services' public gRPC calls; officers call
/// Review with real access tokens from Identity (<see cref="OfficerSignIn"/>).
/// </summary>
public sealed class LicenceJourney(GrpcChannel intake, GrpcChannel review, GrpcChannel disclosure, OfficerSignIn officers)
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    public Applications.ApplicationsClient Intake { get; } = new(intake);

    public Cases.CasesClient Review { get; } = new(review);

    public DisclosureLog.DisclosureLogClient Disclosure { get; } = new(disclosure);

    public OfficerSignIn Officers { get; } = officers;

    public async Task<SubmitApplicationResponse> SubmitAsync(SubmitApplicationRequest request) =>
        await Intake.SubmitAsync(request);

    /// <summary>The case of an application, as an approving head of its county sees it.</summary>
    public async Task<Case> WaitForCaseAsync(string applicationId, string county) =>
        await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    return await Review.GetCaseAsync(new GetCaseRequest { ApplicationId = applicationId }, await Officers.AsAsync(county, "head"));
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                {
                    return null;
                }
            },
            _ => true, StepTimeout, $"a review case for application {applicationId}");

    /// <summary>Submits, accepts, approves, and waits until Intake reports the licence delivered.</summary>
    public async Task<Application> TravelAsync(SubmitApplicationRequest request)
    {
        var submitted = await SubmitAsync(request);
        var reviewCase = await WaitForCaseAsync(submitted.ApplicationId, request.CountyCode);
        Assert.Equal("AwaitingAcceptance", reviewCase.Stage);

        var accepted = await Review.AcceptAsync(Act(reviewCase), await Officers.AsAsync(reviewCase.CountyCode, "clerk"));
        Assert.Equal("UnderReview", accepted.Stage);
        Assert.NotEmpty(accepted.AcceptanceDocumentNumber);

        var approved = await Review.ApproveAsync(Act(reviewCase), await Officers.AsAsync(reviewCase.CountyCode, "head"));
        Assert.Equal("Approved", approved.Stage);

        return await WaitForStatusAsync(submitted.ApplicationId, "Delivered");
    }

    /// <summary>An action on the case; who acts is the token the call carries.</summary>
    public static CaseActionRequest Act(Case reviewCase) => new() { CaseId = reviewCase.CaseId };

    public async Task<Application> WaitForStatusAsync(string applicationId, string status) =>
        await Eventually.GetAsync(
            async () => await Intake.GetApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId }),
            application => application.Status == status,
            StepTimeout, $"application {applicationId} to reach {status}");

    /// <summary>Every disclosure record of one application, in log order, once the expected number is there.</summary>
    public async Task<IReadOnlyList<Record>> WaitForRecordsAsync(string applicationNumber, int count) =>
        await Eventually.GetAsync(
            async () =>
            {
                var reply = await Disclosure.ListRecordsAsync(new ListRecordsRequest { ApplicationNumber = applicationNumber, PageSize = 100 });
                return (IReadOnlyList<Record>)reply.Records.ToList();
            },
            records => records.Count >= count, StepTimeout, $"{count} disclosure records of {applicationNumber}");

    public static readonly string[] HappyPathKinds =
    [
        "application-submitted", "application-accepted", "licence-approved", "certificate-issued",
        "shipment-dispatched", "shipment-delivered",
    ];
}
