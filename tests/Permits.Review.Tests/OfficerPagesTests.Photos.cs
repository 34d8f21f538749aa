using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>现场照片: the inspector's photos go up with the inspection record and show on the case page as the photos themselves.</summary>
public sealed partial class When_an_officer_works_the_queue_in_the_portal
{
    private static readonly byte[] SitePhoto = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x02, 0x03];

    [Fact]
    public async Task Should_show_the_inspectors_photos_on_the_case_page()
    {
        var caseUrl = await AcceptedCaseAsync();

        var page = await PostInspectionAsync(caseUrl, ("现场.jpg", SitePhoto));
        Assert.Contains("已登记实地核查记录", Text(page));

        var headsPage = await GetAsync(_head, caseUrl);
        var photo = PhotoLink().Match(headsPage);
        Assert.True(photo.Success, "the case page shows no photo of the inspection");
        Assert.Contains("现场照片：现场.jpg", headsPage);
        using var image = await _head.GetAsync(photo.Groups[1].Value + "?inline=true");
        Assert.Equal(SitePhoto, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Null(image.Content.Headers.ContentDisposition);
        Assert.Contains("申请人未上传材料", Text(headsPage));
    }

    [Fact]
    public async Task Should_refuse_a_photo_that_is_not_an_image_next_to_the_file_box()
    {
        var caseUrl = await AcceptedCaseAsync();

        var page = await PostInspectionAsync(caseUrl, ("现场.jpg", [.. "%PDF-1.7\n1 0 obj\n"u8]));

        Assert.Contains("照片“现场.jpg”未能上传：现场照片须为 JPG 或 PNG 图片", Text(page));
        Assert.Contains("id=\"photo_files-error\"", page);
        Assert.Contains("尚未登记实地核查记录", Text(await GetAsync(_head, caseUrl)));
    }

    /// <summary>An enterprise's new application, accepted by the clerk: under review, waiting for the inspection.</summary>
    private async Task<string> AcceptedCaseAsync()
    {
        var submitted = await SubmitAsync(SampleApplications.Enterprise());
        await Eventually.GetAsync(
            async () => await GetAsync(_clerk, "/officer"), page => page.Contains(submitted.ApplicationNumber),
            TimeSpan.FromSeconds(30), "the application in the queue");
        var link = await LinkToAsync(submitted.ApplicationNumber);
        var caseUrl = CaseUrl().Match(link).Value;
        var (_, accepted) = await PostAsync(_clerk, $"{caseUrl}?handler=Accept", NoFields, await GetAsync(_clerk, link));
        Assert.Contains("已受理", Text(accepted));
        return caseUrl;
    }

    /// <summary>The inspection form posted as the browser does with files chosen (multipart), following the redirect.</summary>
    private async Task<string> PostInspectionAsync(string caseUrl, params (string Name, byte[] Content)[] photos)
    {
        var token = Token().Match(await GetAsync(_inspector, caseUrl));
        Assert.True(token.Success, "the page has no form to post");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent("hy-inspector2"), "secondInspector" },
            { new StringContent(ChinaTime.Text(TimeProvider.System.Today())), "inspectedOn" },
            { new StringContent("48.5"), "floorArea" },
            { new StringContent("经营场所与住所相独立"), "findings" },
            { new StringContent("最近零售户：120"), "distances" },
            { new StringContent("true"), "compliant" },
            { new StringContent("30.4102"), "latitude" },
            { new StringContent("120.8107"), "longitude" },
        };
        foreach (var (name, content) in photos)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "photoFiles", name);
        }

        using var response = await _inspector.PostAsync($"{caseUrl}?handler=Inspection", form);
        Assert.True(response.IsSuccessStatusCode, $"the inspection answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("<a href=\"(/officer/materials/[0-9a-f-]{36})\"[^>]*><img src=\"/officer/materials/[0-9a-f-]{36}\\?inline=true\"")]
    private static partial Regex PhotoLink();
}
