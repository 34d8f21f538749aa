using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

public abstract class When_a_shopkeeper_uploads_materials(string provider) : IAsyncLifetime
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x02, 0x03];
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n%âãÏÓ\n1 0 obj\n"u8];
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> DraftAsync(string phone = "13800571234") =>
        (await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As(phone))).DraftId;

    private static UploadMaterialRequest Upload(string draftId, MaterialKind kind, byte[] content, string name = "scan.jpg") => new()
    {
        DraftId = draftId, Kind = kind, FileName = name, Content = ByteString.CopyFrom(content),
    };

    [Fact]
    public async Task Should_store_the_file_with_its_hash_and_carry_it_to_the_application()
    {
        var draftId = await DraftAsync();

        var id = await _host.Client.UploadMaterialAsync(Upload(draftId, MaterialKind.IdCard, Jpeg, "../../身份证.png"), IntakeHost.As());
        var lease = await _host.Client.UploadMaterialAsync(Upload(draftId, MaterialKind.PremisesProof, Pdf, "合同.pdf"), IntakeHost.As());

        Assert.Equal("image/jpeg", id.ContentType);
        Assert.Equal("身份证.png", id.FileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Jpeg)), id.Sha256);
        Assert.Equal("application/pdf", lease.ContentType);

        var draft = await _host.Client.GetDraftAsync(new GetDraftRequest { DraftId = draftId }, IntakeHost.As());
        var submitted = await _host.Client.SubmitAsync(draft.Form, IntakeHost.As());
        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As());

        Assert.Equal([MaterialKind.IdCard, MaterialKind.PremisesProof], mine.Materials.OrderBy(m => m.Kind).Select(m => m.Kind));
        var downloaded = await _host.Client.DownloadMaterialAsync(new DownloadMaterialRequest { MaterialId = id.MaterialId }, IntakeHost.As());
        Assert.Equal(Jpeg, downloaded.Content.ToByteArray());
    }

    [Fact]
    public async Task Should_store_a_file_sent_twice_once()
    {
        var draftId = await DraftAsync();

        var first = await _host.Client.UploadMaterialAsync(Upload(draftId, MaterialKind.IdCard, Jpeg), IntakeHost.As());
        var again = await _host.Client.UploadMaterialAsync(Upload(draftId, MaterialKind.IdCard, Jpeg, "again.jpg"), IntakeHost.As());
        var asAnotherKind = await _host.Client.UploadMaterialAsync(Upload(draftId, MaterialKind.BusinessLicence, Jpeg), IntakeHost.As());

        Assert.Equal(first.MaterialId, again.MaterialId);
        Assert.NotEqual(first.MaterialId, asAnotherKind.MaterialId);
        Assert.Equal(2, await _host.CountAsync("application_materials"));
    }

    [Theory]
    [InlineData("exe renamed jpg")]
    [InlineData("html")]
    [InlineData("pdf as photo")]
    [InlineData("empty")]
    [InlineData("too large")]
    public async Task Should_refuse_a_disguised_empty_or_oversized_file(string spoilt)
    {
        var draftId = await DraftAsync();
        var request = spoilt switch
        {
            "exe renamed jpg" => Upload(draftId, MaterialKind.IdCard, [0x4D, 0x5A, 0x90, 0x00, 0x03], "photo.jpg"),
            "html" => Upload(draftId, MaterialKind.BusinessLicence, "<html><script>alert(1)</script>"u8.ToArray(), "licence.pdf"),
            "pdf as photo" => Upload(draftId, MaterialKind.PremisesPhoto, Pdf, "shop.pdf"),
            "empty" => Upload(draftId, MaterialKind.IdCard, [], "id.jpg"),
            _ => Upload(draftId, MaterialKind.PremisesPhoto, [.. Jpeg, .. new byte[3 * 1024 * 1024]], "big.jpg"),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.UploadMaterialAsync(request, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("content", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(0, await _host.CountAsync("application_materials"));
    }

    [Fact]
    public async Task Should_let_only_the_owner_attach_or_download()
    {
        var draftId = await DraftAsync();
        var material = await _host.Client.UploadMaterialAsync(Upload(draftId, MaterialKind.IdCard, Jpeg), IntakeHost.As());

        var attach = await Assert.ThrowsAsync<RpcException>(() => _host.Client.UploadMaterialAsync(
            Upload(draftId, MaterialKind.IdCard, Jpeg), IntakeHost.As("13900572345")).ResponseAsync);
        var download = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DownloadMaterialAsync(
            new DownloadMaterialRequest { MaterialId = material.MaterialId }, IntakeHost.As("13900572345")).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DownloadMaterialAsync(
            new DownloadMaterialRequest { MaterialId = material.MaterialId }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, attach.StatusCode);
        Assert.Equal(StatusCode.NotFound, download.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(1, await _host.CountAsync("application_materials"));
    }
}

public sealed class When_a_shopkeeper_uploads_materials_on_sqlite() : When_a_shopkeeper_uploads_materials("Sqlite");

public sealed class When_a_shopkeeper_uploads_materials_on_postgresql() : When_a_shopkeeper_uploads_materials("PostgreSql");
