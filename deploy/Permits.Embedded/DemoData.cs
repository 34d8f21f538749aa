using Permits.Contracts.Intake.V1;

namespace Permits.Embedded;

/// <summary>
/// On a fresh data folder, submits a few applications through the real gRPC API, so the officer queue has work and
/// the disclosure log has records from the first minute. Each is submitted as a shopkeeper does it, signed in with its
/// contact mobile number (<see cref="DemoApplicants"/>): a draft, the materials Intake requires, then the draft.
/// Off with <c>Demo:Seed=false</c>.
/// </summary>
public sealed partial class DemoData(
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    Applications.ApplicationsClient applications,
    ILogger<DemoData> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Demo:Seed", true))
        {
            lifetime.ApplicationStarted.Register(() => _ = SeedAsync(lifetime.ApplicationStopping));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var marker = Path.Combine(configuration["DataDirectory"]!, "demo-seeded");
        if (File.Exists(marker))
        {
            return;
        }

        try
        {
            foreach (var request in Samples())
            {
                var reply = await SubmitAsync(request, cancellationToken);
                LogSeeded(logger, reply.ApplicationNumber);
            }

            await File.WriteAllTextAsync(marker, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSeedFailed(logger, ex);
        }
    }

    private async Task<SubmitApplicationResponse> SubmitAsync(SubmitApplicationRequest request, CancellationToken cancellationToken)
    {
        var phone = request.Delivery.RecipientPhone;
        var shopkeeper = await DemoApplicants.HeadersAsync(services, phone, cancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var draft = await applications.SaveDraftAsync(new SaveDraftRequest { Form = request }, shopkeeper, deadline, cancellationToken);
        var required = await applications.GetRequirementsAsync(
            new GetRequirementsRequest { CountyCode = request.CountyCode, RequestType = request.RequestType }, shopkeeper, deadline, cancellationToken);
        foreach (var kind in required.Materials)
        {
            await applications.UploadMaterialAsync(new UploadMaterialRequest
            {
                DraftId = draft.DraftId, Kind = kind, FileName = $"{kind}.png", Content = Google.Protobuf.ByteString.CopyFrom(SamplePng),
            }, shopkeeper, deadline, cancellationToken);
        }

        var submission = request.Clone();
        submission.DraftId = draft.DraftId;
        return await applications.SubmitAsync(submission, shopkeeper, deadline, cancellationToken);
    }

    /// <summary>A 1×1 PNG standing in for a scanned material.</summary>
    private static readonly byte[] SamplePng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static IEnumerable<SubmitApplicationRequest> Samples()
    {
        yield return new SubmitApplicationRequest
        {
            ClientRequestId = "demo-1",
            CountyCode = "330424",
            RequestType = RequestType.New,
            HolderType = HolderType.IndividualBusiness,
            BusinessName = "海盐县武原街道惠民便利店",
            ResponsiblePerson = "王建国",
            IdNumber = "330424198001010012",
            PremisesAddress = "浙江省嘉兴市海盐县武原街道向阳路 18 号",
            FloorArea = "42.5",
            PremisesTenure = PremisesTenure.Leased,
            LeaseEndDate = DateTime.UtcNow.AddYears(3).ToString("yyyy-MM-dd"),
            ContactPhone = "13800571234",
            Delivery = new DeliveryChoice
            {
                Method = DeliveryMethod.Courier,
                RecipientName = "王建国",
                RecipientPhone = "13800571234",
                Address = "浙江省嘉兴市海盐县武原街道向阳路 18 号",
            },
        };
        yield return new SubmitApplicationRequest
        {
            ClientRequestId = "demo-2",
            CountyCode = "330424",
            RequestType = RequestType.New,
            HolderType = HolderType.Enterprise,
            BusinessName = "嘉兴市百合超市有限公司海盐分店",
            CreditCode = "91330424MA2B3C4D5Y",
            ResponsiblePerson = "李秀英",
            IdNumber = "330424198506150029",
            PremisesAddress = "浙江省嘉兴市海盐县秦山街道核电大道 66 号",
            FloorArea = "180",
            PremisesTenure = PremisesTenure.Owned,
            ContactPhone = "0573-86012345",
            Delivery = new DeliveryChoice
            {
                Method = DeliveryMethod.Pickup,
                RecipientName = "李秀英",
                RecipientPhone = "13905730000",
            },
        };
    }

    [LoggerMessage(LogLevel.Information, "Demo application {ApplicationNumber} submitted")]
    private static partial void LogSeeded(ILogger logger, string applicationNumber);

    [LoggerMessage(LogLevel.Warning, "Demo data could not be submitted; the system works without it")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception);
}
