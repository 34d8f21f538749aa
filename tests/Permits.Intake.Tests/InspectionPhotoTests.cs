using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// 实地核查照片: the county's inspector attaches what they photographed on site to the application; the officers read it
/// with the other materials; the applicant's own materials (their list, their checklist, their uploads) do not see it.
/// </summary>
public abstract class When_an_inspector_uploads_a_site_photo(string provider) : IAsyncLifetime
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x02, 0x03];
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n%âãÏÓ\n1 0 obj\n"u8];
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A submitted 海盐县 application carrying the applicant's ID card photo.</summary>
    private async Task<string> SubmittedAsync()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.IdCard, FileName = "身份证.jpg", Content = ByteString.CopyFrom(Jpeg),
        }, IntakeHost.As());
        return (await _host.Client.SubmitAsync(draft.Form, IntakeHost.As())).ApplicationId;
    }

    private Task<Material> UploadAsync(string applicationId, byte[] content, Metadata headers) =>
        _host.Client.UploadInspectionPhotoAsync(new UploadInspectionPhotoRequest
        {
            ApplicationId = applicationId, FileName = "现场.jpg", Content = ByteString.CopyFrom(content),
        }, headers).ResponseAsync;

    [Fact]
    public async Task Should_store_it_on_the_application_for_the_officers_of_the_county()
    {
        var applicationId = await SubmittedAsync();

        var photo = await UploadAsync(applicationId, Jpeg, IntakeHost.AsOfficer("330424", "inspector"));
        var head = IntakeHost.AsOfficer("330424", "head");
        var listed = await _host.Client.ListCaseMaterialsAsync(new ListCaseMaterialsRequest { ApplicationId = applicationId }, head);
        var file = await _host.Client.DownloadCaseMaterialAsync(new DownloadMaterialRequest { MaterialId = photo.MaterialId }, head);
        var asFiled = await _host.Client.GetCaseApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId }, head);

        Assert.Equal(MaterialKind.SitePhoto, photo.Kind);
        Assert.Equal("image/jpeg", photo.ContentType);
        Assert.Contains(listed.Materials, m => m.MaterialId == photo.MaterialId && m.Kind == MaterialKind.SitePhoto);
        Assert.Contains(asFiled.Materials, m => m.MaterialId == photo.MaterialId);
        Assert.Equal(Jpeg, file.Content.ToByteArray());
        Assert.Equal("现场.jpg", file.Material.FileName);
    }

    [Theory]
    [InlineData("330421", "inspector")]
    [InlineData("330424", "clerk")]
    [InlineData("330424", "head")]
    public async Task Should_refuse_another_county_or_another_role(string county, string role)
    {
        var applicationId = await SubmittedAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(applicationId, Jpeg, IntakeHost.AsOfficer(county, role)));
        var listed = await _host.Client.ListCaseMaterialsAsync(
            new ListCaseMaterialsRequest { ApplicationId = applicationId }, IntakeHost.AsOfficer("330424", "head"));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.DoesNotContain(listed.Materials, m => m.Kind == MaterialKind.SitePhoto);
    }

    [Fact]
    public async Task Should_refuse_the_applicant_and_an_anonymous_caller()
    {
        var applicationId = await SubmittedAsync();

        var owner = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(applicationId, Jpeg, IntakeHost.As()));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(applicationId, Jpeg, new Metadata()));

        Assert.Equal(StatusCode.PermissionDenied, owner.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_a_file_that_is_not_a_photo_by_its_content()
    {
        var applicationId = await SubmittedAsync();

        var pdf = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(applicationId, Pdf, IntakeHost.AsOfficer("330424", "inspector")));
        var html = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(applicationId, "<html><script>"u8.ToArray(), IntakeHost.AsOfficer("330424", "inspector")));
        var otherCounty = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(applicationId, Pdf, IntakeHost.AsOfficer("330421", "inspector")));

        Assert.Equal(StatusCode.InvalidArgument, pdf.StatusCode);
        Assert.Contains("现场照片须为 JPG 或 PNG 图片", pdf.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, html.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, otherCounty.StatusCode);
    }

    [Fact]
    public async Task Should_leave_the_applicants_own_materials_as_they_were()
    {
        var applicationId = await SubmittedAsync();
        var photo = await UploadAsync(applicationId, Jpeg, IntakeHost.AsOfficer("330424", "inspector"));

        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId }, IntakeHost.As());
        var download = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DownloadMaterialAsync(
            new DownloadMaterialRequest { MaterialId = photo.MaterialId }, IntakeHost.As()).ResponseAsync);
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        var asSitePhoto = await Assert.ThrowsAsync<RpcException>(() => _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.SitePhoto, FileName = "现场.jpg", Content = ByteString.CopyFrom(Jpeg),
        }, IntakeHost.As()).ResponseAsync);

        Assert.Equal([MaterialKind.IdCard], mine.Materials.Select(m => m.Kind));
        Assert.Equal(StatusCode.NotFound, download.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, asSitePhoto.StatusCode);
    }
}

public sealed class When_an_inspector_uploads_a_site_photo_on_sqlite() : When_an_inspector_uploads_a_site_photo("Sqlite");

public sealed class When_an_inspector_uploads_a_site_photo_on_postgresql() : When_an_inspector_uploads_a_site_photo("PostgreSql");
