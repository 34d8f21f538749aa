using System.Net;
using System.Text.RegularExpressions;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>The head's two answers to an extension request on the officer case page: here 不同意, with its reason.</summary>
public sealed partial class When_an_officer_works_the_queue_in_the_portal
{
    [Fact]
    public async Task Should_let_the_head_decline_an_extension_request_with_a_reason()
    {
        var submitted = await SubmitAsync(SampleApplications.Individual());
        var link = await Eventually.GetAsync(
            async () => { try { return await LinkToAsync(submitted.ApplicationNumber); } catch (InvalidOperationException) { return null; } },
            l => l is not null, TimeSpan.FromSeconds(30), "the case in the queue");
        var caseUrl = CaseUrl().Match(link!).Value;
        await PostAsync(_clerk, $"{caseUrl}?handler=Accept", NoFields, await GetAsync(_clerk, caseUrl));
        var (_, requested) = await PostAsync(_inspector, $"{caseUrl}?handler=RequestExtension",
            new() { ["note"] = "需等待规划部门出具意见" }, await GetAsync(_inspector, caseUrl));
        Assert.Contains("已请审批负责人延长", Text(requested));

        var headPage = await GetAsync(_head, caseUrl);
        Assert.Contains("需等待规划部门出具意见", Text(headPage));
        Assert.Contains("handler=DeclineExtension", headPage);
        Assert.Contains(submitted.ApplicationNumber, await GetAsync(_head, "/officer"));

        // No reason: refused next to the 不同意 form's own field, the request still pending.
        var (_, blank) = await PostAsync(_head, $"{caseUrl}?handler=DeclineExtension", new() { ["declineReason"] = " " }, headPage);
        Assert.Contains("id=\"declineReason-error\"", blank);
        Assert.DoesNotContain("id=\"note-error\"", blank);
        Assert.Contains("请写明不同意延长审批期限的理由", Text(blank));

        var (_, declined) = await PostAsync(_head, $"{caseUrl}?handler=DeclineExtension",
            new() { ["declineReason"] = "规划意见不影响本案审批" }, headPage);

        var text = Text(declined);
        Assert.Contains("已不同意延长", text);
        var history = WebUtility.HtmlDecode(Regex.Match(declined, "<table[^>]*id=\"history\".*?</table>", RegexOptions.Singleline).Value);
        Assert.Contains("不同意延长审批期限", history);
        Assert.Contains("规划意见不影响本案审批", history);
        Assert.Contains("规划意见不影响本案审批", text);
        Assert.DoesNotContain("handler=DeclineExtension", declined);
        Assert.DoesNotContain(submitted.ApplicationNumber, await GetAsync(_head, "/officer"));
    }
}
