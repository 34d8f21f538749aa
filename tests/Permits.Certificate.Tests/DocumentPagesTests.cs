using System.Net;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Documents;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// The formal documents in the Portal, on the same real Intake and Certificate: listed on the shopkeeper's application
/// page, opened inline for printing (which serves a decision electronically), refused to a stranger, and a service
/// recorded at the hall through the officer's form.
/// </summary>
public sealed partial class When_someone_uses_the_licence_pages
{
    private Task<CaseDocumentEvents> FiledAsync(bool consent) => CaseDocumentEvents.FiledAsync(_certificates, _intake, Wang, consent);

    private Task IssuedAsync<T>(T message, string number) where T : class => CaseDocumentEvents.IssuedAsync(_certificates, message, number);

    private static string Link(string number) => $"/documents/pdf?number={Uri.EscapeDataString(number)}";

    [Fact]
    public async Task Should_list_open_inline_and_serve_a_decision_for_its_owner_only()
    {
        var events = await FiledAsync(consent: true);
        var denied = events.Denied();
        await IssuedAsync(denied, denied.DocumentNumber);
        using var wang = Shopkeeper(Wang);
        using var li = Shopkeeper(Li);

        var page = await wang.GetStringAsync($"/my/{events.ApplicationId}");
        using var stranger = await li.GetAsync(Link(denied.DocumentNumber));
        using var pdf = await wang.GetAsync(Link(denied.DocumentNumber));
        var after = await wang.GetStringAsync($"/my/{events.ApplicationId}");

        Assert.Contains("不予行政许可决定书", page);
        Assert.Contains(denied.DocumentNumber, page);
        Assert.Contains($"href=\"{Link(denied.DocumentNumber)}\"", page);
        Assert.Contains("未送达", page);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", pdf.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));
        Assert.Contains("电子送达", after);
        Assert.Contains("送达回证", after);
        Assert.Equal(1, await _certificates.OutboxCountAsync<DocumentServed>());
    }

    [Fact]
    public async Task Should_record_a_hall_service_through_the_officers_form()
    {
        var events = await FiledAsync(consent: false);
        var notAccepted = events.NotAccepted();
        await IssuedAsync(notAccepted, notAccepted.DocumentNumber);
        var licence = (await _certificates.IssueAsync(CertificateHost.Approval()))!;
        using var clerk = Officer("330424", "clerk");
        var antiforgery = AntiforgeryField().Match(await clerk.GetStringAsync($"/officer/licences/{licence}")).Groups[1].Value;

        using var posted = await clerk.PostAsync("/officer/documents/service", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["number"] = notAccepted.DocumentNumber,
            ["caseId"] = events.CaseId.ToString(),
            ["method"] = "Hall",
            ["servedAt"] = Permits.Shared.Domain.ChinaTime.InChina(DateTimeOffset.UtcNow.AddMinutes(-10)).ToString("yyyy-MM-ddTHH:mm"),
            ["recipient"] = "王建国",
        }));
        var documents = (await _certificates.Client.ListDocumentsAsync(
            new ListDocumentsRequest { ApplicationId = events.ApplicationId.ToString() }, CertificateHost.Officer)).Documents;

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/officer/case/{events.CaseId}#documents-title", posted.Headers.Location?.OriginalString);
        var decision = documents.Single(d => d.Number == notAccepted.DocumentNumber);
        Assert.Equal((DocumentServiceMethod.Hall, "王建国"), (decision.ServiceMethod, decision.Recipient));
        Assert.Contains(documents, d => d.Kind == OfficialDocuments.ServiceReceipt && d.ServedDocument == notAccepted.DocumentNumber);
    }
}
