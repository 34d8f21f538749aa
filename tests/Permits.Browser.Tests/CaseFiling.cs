using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Embedded;
using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>Set-up the officers' tests are not about: an application filed over gRPC by the demo shopkeeper, and its case.</summary>
public static class CaseFiling
{
    /// <summary>Files the form and returns the application's id and its case page's path, once Review has the case.</summary>
    public static async Task<(string ApplicationId, string CasePath)> FileAsync(Browser b, SubmitApplicationRequest form)
    {
        using var channel = Channels.For(b.GrpcUrl);
        var submitted = await new Applications.ApplicationsClient(channel).SubmitAsync(
            form, await DemoApplicants.HeadersAsync(b.Services, form.ContactPhone, CancellationToken.None));
        using var signIn = new OfficerSignIn(b.PortalUrl);
        var clerk = new Metadata { { "Authorization", "Bearer " + await signIn.TokenAsync("hy-clerk") } };
        var cases = new Cases.CasesClient(channel);
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var queue = await cases.ListQueueAsync(new ListQueueRequest { Step = "all", PageSize = 200 }, clerk);
            if (queue.Cases.FirstOrDefault(c => c.ApplicationNumber == submitted.ApplicationNumber) is { } found)
            {
                return (submitted.ApplicationId, "/officer/case/" + found.CaseId);
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"Review has no case for {submitted.ApplicationNumber} after 30 s.");
    }
}
