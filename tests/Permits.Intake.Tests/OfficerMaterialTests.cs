using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// "Downloadable by the owner and the reviewing officers only": officers of the application's county (role and county
/// from their access token) list and download a submitted application's materials; nobody else does.
/// </summary>
public abstract class When_reviewing_officers_open_the_materials(string provider) : IAsyncLifetime
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x02, 0x03];
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n%âãÏÓ\n1 0 obj\n"u8];
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A 海盐县 application with an ID card photo and a lease, and a draft with one file of its own.</summary>
    private async Task<(string ApplicationId, Material IdCard, Material DraftFile)> SubmittedAsync()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        var idCard = await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.IdCard, FileName = "身份证.jpg", Content = ByteString.CopyFrom(Jpeg),
        }, IntakeHost.As());
        await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.PremisesProof, FileName = "租赁合同.pdf", Content = ByteString.CopyFrom(Pdf),
        }, IntakeHost.As());
        var submitted = await _host.Client.SubmitAsync(draft.Form, IntakeHost.As());

        var other = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Enterprise() }, IntakeHost.As());
        var draftFile = await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = other.DraftId, Kind = MaterialKind.IdCard, FileName = "草稿.jpg", Content = ByteString.CopyFrom(Jpeg),
        }, IntakeHost.As());
        return (submitted.ApplicationId, idCard, draftFile);
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("inspector")]
    [InlineData("reviewer")]
    [InlineData("head")]
    public async Task Should_let_an_officer_of_the_county_list_and_download_them(string role)
    {
        var (applicationId, idCard, _) = await SubmittedAsync();
        var officer = IntakeHost.AsOfficer("330424", role);

        var listed = await _host.Client.ListCaseMaterialsAsync(new ListCaseMaterialsRequest { ApplicationId = applicationId }, officer);
        var file = await _host.Client.DownloadCaseMaterialAsync(new DownloadMaterialRequest { MaterialId = idCard.MaterialId }, officer);

        Assert.Equal("330424", listed.CountyCode);
        Assert.Equal([MaterialKind.IdCard, MaterialKind.PremisesProof], listed.Materials.OrderBy(m => m.Kind).Select(m => m.Kind));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), listed.Materials.Single(m => m.Kind == MaterialKind.PremisesProof).Sha256);
        Assert.Equal(Jpeg, file.Content.ToByteArray());
        Assert.Equal("image/jpeg", file.Material.ContentType);
        Assert.Equal("身份证.jpg", file.Material.FileName);
    }

    public static TheoryData<string> Strangers() => ["another county's clerk", "the owner", "another shopkeeper", "a disclosure clerk", "a token for Review"];

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task Should_refuse_anyone_but_the_county_officers(string who)
    {
        var (applicationId, idCard, _) = await SubmittedAsync();
        var headers = who switch
        {
            "another county's clerk" => IntakeHost.AsOfficer("330421", "clerk"),
            "the owner" => IntakeHost.As(),
            "another shopkeeper" => IntakeHost.As("13900572345"),
            "a disclosure clerk" => IntakeHost.AsOfficer("330424", "disclosure-clerk"),
            _ => new Metadata { { "Authorization", "Bearer " + Tokens.Officer("330424", "clerk") } },
        };
        var expected = who == "a token for Review" ? StatusCode.Unauthenticated : StatusCode.PermissionDenied;

        var list = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ListCaseMaterialsAsync(
            new ListCaseMaterialsRequest { ApplicationId = applicationId }, headers).ResponseAsync);
        var download = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DownloadCaseMaterialAsync(
            new DownloadMaterialRequest { MaterialId = idCard.MaterialId }, headers).ResponseAsync);

        Assert.Equal(expected, list.StatusCode);
        Assert.Equal(expected, download.StatusCode);
        Assert.DoesNotContain("身份证", list.Status.Detail + download.Status.Detail);
    }

    [Fact]
    public async Task Should_refuse_an_anonymous_caller()
    {
        var (applicationId, idCard, _) = await SubmittedAsync();

        var list = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ListCaseMaterialsAsync(
            new ListCaseMaterialsRequest { ApplicationId = applicationId }).ResponseAsync);
        var download = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DownloadCaseMaterialAsync(
            new DownloadMaterialRequest { MaterialId = idCard.MaterialId }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, list.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, download.StatusCode);
    }

    [Fact]
    public async Task Should_not_show_officers_a_draft_or_an_unknown_application()
    {
        var (_, _, draftFile) = await SubmittedAsync();
        var clerk = IntakeHost.AsOfficer("330424", "clerk");

        var draft = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DownloadCaseMaterialAsync(
            new DownloadMaterialRequest { MaterialId = draftFile.MaterialId }, clerk).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ListCaseMaterialsAsync(
            new ListCaseMaterialsRequest { ApplicationId = Guid.NewGuid().ToString() }, clerk).ResponseAsync);
        var garbage = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ListCaseMaterialsAsync(
            new ListCaseMaterialsRequest { ApplicationId = "' OR 1=1 --" }, clerk).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, draft.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.NotFound, garbage.StatusCode);
    }
}

public sealed class When_reviewing_officers_open_the_materials_on_sqlite() : When_reviewing_officers_open_the_materials("Sqlite");

public sealed class When_reviewing_officers_open_the_materials_on_postgresql() : When_reviewing_officers_open_the_materials("PostgreSql");
