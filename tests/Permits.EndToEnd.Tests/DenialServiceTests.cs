using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Documents;
using Permits.Contracts.Review.V1;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// A denial the applicant agreed to receive electronically (issue 15): the decision cites the grounds the head chose,
/// and the applicant's opening it in the Portal is its 电子送达, which stops Review's service clock — no false breach.
/// On the same embedded system as <see cref="HallPickupJourney"/>, with an applicant of its own.
/// </summary>
[Collection(HallPickupJourney.Collection)]
public sealed class When_a_consenting_applicant_opens_a_denial(HallPickupJourney journey)
{
    private const string Phone = "13800575555";

    [Fact]
    public async Task Should_serve_it_electronically_cite_its_grounds_and_stop_the_service_clock()
    {
        var driver = journey.Journey;
        var request = HallPickupJourney.Application();
        request.ContactPhone = Phone;
        request.Delivery.RecipientPhone = Phone;
        request.ElectronicServiceConsent = true;
        var submitted = await driver.SubmitAsync(request);
        var received = await driver.WaitForCaseAsync(submitted.ApplicationId, HallPickupJourney.County);
        await driver.Review.AcceptAsync(LicenceJourney.Act(received), await driver.Officers.AsAsync(HallPickupJourney.County, "clerk"));
        await driver.InspectAsync(received);
        await driver.Review.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = LicenceJourney.Act(received), Recommendation = "Deny", Opinion = "经营场所不符合规定条件，建议不予许可",
        }, await driver.Officers.AsAsync(HallPickupJourney.County, "reviewer"));
        var head = await driver.Officers.AsAsync(HallPickupJourney.County, "head");
        var ground = (await driver.Review.ListRefusalGroundsAsync(new ListRefusalGroundsRequest(), head)).Grounds.Single(g => g.Code == "UnsafePremises");
        var denied = await driver.Review.DenyAsync(new ReasonedActionRequest
        {
            Action = LicenceJourney.Act(received), Reasons = { "经营场所与住所未有效隔离" }, GroundCodes = { ground.Code },
        }, head);
        Assert.Equal("Service", denied.ClockPhase);
        Assert.Empty(denied.ServedMethod);

        var certificate = new Certificates.CertificatesClient(journey.Channel);
        var applicant = await driver.Shopkeepers.AsAsync(Phone);
        var documents = await Eventually.GetAsync(
            async () => (IReadOnlyList<OfficialDocument>?)(await certificate.ListDocumentsAsync(
                new ListDocumentsRequest { ApplicationId = submitted.ApplicationId }, applicant)).Documents.ToList(),
            d => d.Any(x => x.Kind == OfficialDocuments.Denial), driver.Patience, "the denial decision");
        var decision = documents.Single(d => d.Kind == OfficialDocuments.Denial);
        Assert.Equal(denied.DecisionDocumentNumber, decision.Number);
        Assert.Equal(DocumentServiceMethod.Unspecified, decision.ServiceMethod);

        // The applicant opens it: 电子送达, recorded once; the decision cites the ground and the remedies.
        var opened = await certificate.GetDocumentAsync(new GetDocumentRequest { DocumentNumber = decision.Number }, applicant);
        var text = PrintedDocument.Squeezed(await PrintedDocument.TextAsync(opened.Pdf.ToByteArray()));
        Assert.Contains("不予行政许可决定书", text);
        Assert.Contains(PrintedDocument.Squeezed(ground.Text), text);
        Assert.Contains("行政复议", text);
        Assert.Contains("行政诉讼", text);

        var served = await Eventually.GetAsync(
            async () => (Case?)await driver.WaitForCaseAsync(submitted.ApplicationId, HallPickupJourney.County),
            c => c.ServedMethod.Length > 0, driver.Patience, "the case to record the electronic service");
        Assert.Equal("Electronic", served.ServedMethod);
        Assert.Equal("Stopped", served.ClockPhase);
        Assert.False(served.Overdue);
        var listed = (await certificate.ListDocumentsAsync(new ListDocumentsRequest { ApplicationId = submitted.ApplicationId }, applicant)).Documents;
        Assert.Equal(DocumentServiceMethod.Electronic, listed.Single(d => d.Kind == OfficialDocuments.Denial).ServiceMethod);
        Assert.Single(listed, d => d.Kind == OfficialDocuments.ServiceReceipt);
    }
}
