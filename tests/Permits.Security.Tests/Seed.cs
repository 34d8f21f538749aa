using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Testing;
using SaveDraftRequest = Permits.Contracts.Intake.V1.SaveDraftRequest;

namespace Permits.Security.Tests;

/// <summary>
/// What the requests of the matrix name, made through the public calls as people make them: the owner's delivered
/// licence, a pending application with its case and materials in 海盐县, a draft with a material, an information
/// request with its query code. Every request is valid enough to pass authorization, so "allowed" is really exercised.
/// </summary>
public sealed class Seed
{
    /// <summary>The smallest valid PNG (1×1).</summary>
    public static readonly ByteString TinyPng = ByteString.FromBase64(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public const string County = CallerTokens.County;

    public const int ReportYear = 2025;

    public required Application Delivered { get; init; }

    public required SubmitApplicationResponse Pending { get; init; }

    /// <summary>The pending application's form (clone it before changing it).</summary>
    public required SubmitApplicationRequest PendingApplication { get; init; }

    public required string CaseId { get; init; }

    public required string CaseMaterialId { get; init; }

    public required string DraftId { get; init; }

    public required string SpareDraftId { get; init; }

    public required string DraftMaterialId { get; init; }

    public required FiledInformationRequest InformationRequest { get; init; }

    public required string SecondInspector { get; init; }

    /// <summary>Each shopkeeper's draft with every material uploaded, ready to submit.</summary>
    public required IReadOnlyDictionary<Caller, string> ReadyDrafts { get; init; }

    public string LicenceNumber => Delivered.LicenceNumber;

    public static async Task<Seed> CreateAsync(SystemUnderTest system, CallerTokens tokens)
    {
        var journey = system.Journey;
        var delivered = await journey.TravelAsync(SampleApplications.Individual());
        var owner = await system.Shopkeepers.AsAsync(CallerTokens.OwnerPhone);
        var clerk = new Metadata { { "Authorization", "Bearer " + await tokens.OfficerAsync(County, "clerk") } };

        // A second application, a 新办 of an enterprise, submitted and waiting in the county's queue.
        var form = SampleApplications.Enterprise();
        var pending = await journey.SubmitAsync(form);
        var reviewCase = await journey.WaitForCaseAsync(pending.ApplicationId, County);
        var materials = await journey.Intake.ListCaseMaterialsAsync(new ListCaseMaterialsRequest { ApplicationId = pending.ApplicationId }, clerk);

        var draft = await journey.Intake.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, owner);
        var spare = await journey.Intake.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, owner);
        var material = await journey.Intake.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.IdCard, FileName = "id.png", Content = TinyPng,
        }, owner);

        var requests = new InformationRequests.InformationRequestsClient(system.Channel);
        var filed = await requests.FileRequestAsync(InformationRequestSample());
        var inspector2 = OfficerSignIn.Subject(await system.Officers.TokenAsync("hy-inspector2"));
        var ready = new Dictionary<Caller, string>();
        foreach (var shopkeeper in CallerKinds.Shopkeepers)
        {
            ready[shopkeeper] = await ReadyDraftAsync(system, Form(shopkeeper));
        }

        return new Seed
        {
            Delivered = delivered,
            Pending = pending,
            PendingApplication = form,
            CaseId = reviewCase.CaseId,
            CaseMaterialId = materials.Materials[0].MaterialId,
            DraftId = draft.DraftId,
            SpareDraftId = spare.DraftId,
            DraftMaterialId = material.MaterialId,
            InformationRequest = filed,
            SecondInspector = inspector2,
            ReadyDrafts = ready,
        };
    }

    /// <summary>A fresh 新办 of the caller's own, from their ready draft, as the Portal submits it.</summary>
    public SubmitApplicationRequest Submission(Caller caller)
    {
        var request = Form(caller);
        if (ReadyDrafts.TryGetValue(caller, out var draftId))
        {
            request.DraftId = draftId;
        }

        return request;
    }

    /// <summary>A draft of the form with every material the county asks for, as the shopkeeper leaves it before submitting.</summary>
    public static async Task<string> ReadyDraftAsync(SystemUnderTest system, SubmitApplicationRequest form)
    {
        var intake = system.Journey.Intake;
        var shopkeeper = await system.Shopkeepers.AsAsync(form.ContactPhone);
        var draft = await intake.SaveDraftAsync(new SaveDraftRequest { Form = form }, shopkeeper);
        var required = await intake.GetRequirementsAsync(new GetRequirementsRequest { CountyCode = form.CountyCode, RequestType = form.RequestType });
        foreach (var kind in required.Materials)
        {
            await intake.UploadMaterialAsync(new UploadMaterialRequest
            {
                DraftId = draft.DraftId, Kind = kind, FileName = $"{kind}.png", Content = TinyPng,
            }, shopkeeper);
        }

        return draft.DraftId;
    }

    public static FileInformationRequest InformationRequestSample() => SampleInformationRequests.Person(County);

    /// <summary>A 新办 form of the caller's own (their phone as the contact).</summary>
    public static SubmitApplicationRequest Form(Caller caller)
    {
        var request = SampleApplications.Individual();
        if (caller == Caller.OtherShopkeeper)
        {
            request.ContactPhone = CallerTokens.OtherShopkeeperPhone;
            request.Delivery.RecipientPhone = CallerTokens.OtherShopkeeperPhone;
        }

        return request;
    }
}
