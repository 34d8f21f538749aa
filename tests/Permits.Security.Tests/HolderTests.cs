using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;
using Xunit.Abstractions;

namespace Permits.Security.Tests;

/// <summary>
/// Issue 12, hole 1: licence numbers are public, so a request on a licence (变更, 延续, 停业, 恢复营业, 歇业, 补办, 注销)
/// must come from its holder. Another shopkeeper naming the owner's licence is refused at submit, with the field named.
/// </summary>
[Collection(MatrixSystem.Name)]
public sealed class When_a_shopkeeper_asks_for_something_on_a_licence_not_theirs(MatrixSystem fixture, ITestOutputHelper output)
{
    private static readonly RequestType[] OnALicence =
        [RequestType.Change, RequestType.Renewal, RequestType.Suspend, RequestType.Resume, RequestType.Close, RequestType.Reissue, RequestType.Cancel];

    /// <summary>Where a refusal for not being the holder may point.</summary>
    private static readonly string[] HolderFields = ["licence_number", "credit_code", "id_number"];

    [Fact]
    public async Task Should_refuse_every_request_type_from_anyone_but_the_holder()
    {
        var intake = fixture.System.Journey.Intake;
        var stranger = await fixture.System.Shopkeepers.AsAsync(CallerTokens.OtherShopkeeperPhone);
        var owner = await fixture.System.Shopkeepers.AsAsync(CallerTokens.OwnerPhone);
        var accepted = new List<string>();
        var certificates = new Permits.Contracts.Certificate.V1.Certificates.CertificatesClient(fixture.System.Channel);
        var licence = await certificates.GetCertificateAsync(
            new Permits.Contracts.Certificate.V1.GetCertificateRequest { LicenceNumber = fixture.Seed.LicenceNumber }, owner);
        foreach (var type in OnALicence)
        {
            var request = OnTheOwnersLicence(type);
            request.LicenceValidTo = type == RequestType.Renewal ? licence.ValidTo : "";
            request.ContactPhone = CallerTokens.OtherShopkeeperPhone;
            request.Delivery.RecipientPhone = CallerTokens.OtherShopkeeperPhone;
            request.ResponsiblePerson = "赵小明";
            request.Delivery.RecipientName = "赵小明";
            request.IdNumber = "330424198506150029";
            request.DraftId = await Seed.ReadyDraftAsync(fixture.System, request);
            try
            {
                var submitted = await intake.SubmitAsync(request, stranger);
                accepted.Add($"{type}: accepted as {submitted.ApplicationNumber}");
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.PermissionDenied)
            {
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.InvalidArgument)
            {
                var fields = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
                if (!fields.Intersect(HolderFields).Any())
                {
                    accepted.Add($"{type}: refused, but not for the holder ({string.Join(", ", fields)}): {error.Status.Detail}");
                }
            }
        }

        // The same request from the holder passes (so the refusals above are about the holder, not the form).
        var reissue = OnTheOwnersLicence(RequestType.Reissue);
        reissue.DraftId = await Seed.ReadyDraftAsync(fixture.System, reissue);
        var own = await intake.SubmitAsync(reissue, owner);

        output.WriteLine($"requests on another's licence: {OnALicence.Length} tried, {accepted.Count} not refused for the holder");
        foreach (var line in accepted)
        {
            output.WriteLine("  " + line);
        }

        Assert.NotEmpty(own.ApplicationId);
        Assert.Empty(accepted);
    }

    /// <summary>The owner's 新办 form (with its materials) turned into a request of the type on their delivered licence, dated where it must be.</summary>
    private SubmitApplicationRequest OnTheOwnersLicence(RequestType type)
    {
        var today = DateTime.UtcNow.AddHours(8).Date;
        var request = SampleApplications.Individual();
        request.RequestType = type;
        request.LicenceNumber = fixture.Seed.LicenceNumber;
        if (type == RequestType.Suspend)
        {
            request.SuspendFrom = today.AddDays(10).ToString("yyyy-MM-dd");
            request.SuspendUntil = today.AddDays(40).ToString("yyyy-MM-dd");
        }

        if (type == RequestType.Change)
        {
            request.ChangeItems.Add(ChangeItem.BusinessName);
            request.BusinessName = "海盐县武原街道惠民超市";
        }

        return request;
    }
}
