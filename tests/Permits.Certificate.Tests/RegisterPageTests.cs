using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Permits.Shared.Domain;

namespace Permits.Certificate.Tests;

/// <summary>
/// The 系统管理员's register page (/admin/register) against a real Certificate service: the upload shows every
/// rejected row or what was imported, the export downloads the county's register, and nobody else gets the page.
/// </summary>
public sealed partial class When_the_county_administrator_uses_the_register_page : IAsyncLifetime
{
    private const string County = "330424";
    private CertificateHost _certificates = null!;
    private PortalUnderTest _portal = null!;

    public async Task InitializeAsync()
    {
        _certificates = await CertificateHost.StartAsync();
        _portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Certificate"] = _certificates.GrpcUrl });
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _certificates.DisposeAsync();
    }

    private HttpClient Admin() => _portal.Officer("permits-certificate", County, "system-admin");

    /// <summary>The upload form posted as a browser does with a file chosen (multipart).</summary>
    private static async Task<string> UploadAsync(HttpClient browser, string fileName, byte[] content)
    {
        var token = Token().Match(await browser.GetStringAsync("/admin/register"));
        Assert.True(token.Success, "the page has no form to post");
        using var form = new MultipartFormDataContent { { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        using var response = await browser.PostAsync("/admin/register?handler=Import", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Should_show_every_rejected_row_then_import_the_corrected_file_and_export_it()
    {
        using var admin = Admin();
        var rows = SampleRegisters.Rows(County, 50, ChinaTime.DateOf(DateTimeOffset.UtcNow));
        var bad = rows.Select(r => (string[])r.Clone()).ToList();
        bad[3][0] = "330421100004";

        var refused = await UploadAsync(admin, "登记簿.csv", SampleRegisters.Csv(bad));
        var imported = await UploadAsync(admin, "登记簿.csv", SampleRegisters.Csv(rows));
        using var export = await admin.GetAsync("/admin/register?handler=Export&format=csv");

        Assert.Contains("<title>错误：", refused);
        Assert.Contains("1 行有误，未导入任何许可证", PortalForms.Text(refused));
        Assert.Contains("5 330421100004 许可证号前 6 位 330421 不是本县（市、区）的代码 330424", PortalForms.Text(refused));
        Assert.Contains("导入 50 张许可证", PortalForms.Text(imported));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var text = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFF许可证号,企业名称/字号", text);
        Assert.Contains(rows[0][0], text);
    }

    [Fact]
    public async Task Should_start_the_administrator_there_and_keep_other_officers_out()
    {
        using var admin = Admin();
        using var clerk = _portal.Officer("permits-certificate", County, "clerk");

        using var start = await admin.GetAsync("/start");
        using var refused = await clerk.GetAsync("/admin/register");

        Assert.Equal("/admin/register", start.Headers.Location?.OriginalString);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
