using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts;
using Permits.Contracts.Intake;
using Permits.Contracts.Review;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// A shopkeeper's application on an existing licence as Certificate learns it, over the host's real consumers: Intake's
/// <see cref="ApplicationSubmitted"/>, then Review's <see cref="LicenceApproved"/>, each waited for until Certificate
/// has recorded it.
/// </summary>
internal static class LicenceRequests
{
    /// <summary>The application Intake announces for <paramref name="approval"/>: <paramref name="requestType"/> on the licence.</summary>
    public static ApplicationSubmitted Submitted(
        LicenceApproved approval, string requestType, string licenceNumber, string? person = null, string phoneNumber = "13800571234") =>
        new(approval.ApplicationId, approval.ApplicationNumber, approval.CountyCode, requestType, approval.HolderType,
            approval.BusinessName, approval.CreditCode, person ?? approval.ResponsiblePerson, approval.PremisesAddress, 20m, null,
            new DeliveryChoice(DeliveryMethod.Pickup, person ?? approval.ResponsiblePerson, phoneNumber, null), DateTimeOffset.UtcNow)
        {
            LicenceNumber = licenceNumber,
        };

    /// <summary>Publishes the application, waits until Certificate records it, then approves it and waits until the approval has acted.</summary>
    public static async Task<LicenceApproved> ApproveAsync(this CertificateHost host, ApplicationSubmitted submitted, LicenceApproved approval)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(submitted);
        await Eventually.TrueAsync(
            async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM licence_requests WHERE application_number = @N", new { N = approval.ApplicationNumber }) == 1,
            TimeSpan.FromSeconds(20), "Certificate records the request");
        await bus.Publish(approval);
        await Eventually.TrueAsync(
            async () => await host.ScalarAsync<long>(
                "SELECT COUNT(*) FROM licence_requests WHERE application_number = @N AND applied_at IS NOT NULL", new { N = approval.ApplicationNumber }) == 1,
            TimeSpan.FromSeconds(20), "the approval acts on the licence");
        return approval;
    }
}
