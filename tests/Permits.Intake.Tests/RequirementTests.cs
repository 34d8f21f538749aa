using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

public abstract class When_materials_are_required(string provider) : IAsyncLifetime
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x01, 0x02];
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider, requireMaterials: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_name_every_missing_material_at_once_and_keep_the_draft()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.IdCard, FileName = "id.jpg", Content = ByteString.CopyFrom(Jpeg),
        }, IntakeHost.As());

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(draft.Form, IntakeHost.As()).ResponseAsync);

        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("materials", violation.Field);
        Assert.Contains("营业执照", violation.Description);
        Assert.Contains("场所产权证明或租赁合同", violation.Description);
        Assert.Contains("经营场所照片", violation.Description);
        Assert.DoesNotContain("身份证", violation.Description);
        Assert.Equal(0, await _host.CountAsync("applications"));
        Assert.Equal(1, await _host.CountAsync("application_drafts"));
    }

    [Fact]
    public async Task Should_submit_once_everything_is_there_and_answer_a_retry_the_same()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        foreach (var kind in new[] { MaterialKind.IdCard, MaterialKind.BusinessLicence, MaterialKind.PremisesProof, MaterialKind.PremisesPhoto })
        {
            await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
            {
                DraftId = draft.DraftId, Kind = kind, FileName = kind + ".jpg", Content = ByteString.CopyFrom(Jpeg),
            }, IntakeHost.As());
        }

        var first = await _host.Client.SubmitAsync(draft.Form, IntakeHost.As());
        var retry = await _host.Client.SubmitAsync(draft.Form, IntakeHost.As());

        Assert.Equal(first.ApplicationId, retry.ApplicationId);
        Assert.Equal(4, (await _host.Client.GetMyApplicationAsync(
            new GetApplicationRequest { ApplicationId = first.ApplicationId }, IntakeHost.As())).Materials.Count);
    }

    [Fact]
    public async Task Should_publish_the_checklist_per_county_and_type()
    {
        var common = await _host.Client.GetRequirementsAsync(new GetRequirementsRequest { CountyCode = "330421", RequestType = RequestType.Change });
        var haiyan = await _host.Client.GetRequirementsAsync(new GetRequirementsRequest { CountyCode = "330424", RequestType = RequestType.Change });

        Assert.Equal([MaterialKind.IdCard, MaterialKind.BusinessLicence], common.Materials);
        Assert.Equal([MaterialKind.IdCard, MaterialKind.BusinessLicence, MaterialKind.PremisesProof], haiyan.Materials);
        Assert.Equal(30, haiyan.RenewalMinDaysBeforeExpiry);
    }
}

public sealed class When_materials_are_required_on_sqlite() : When_materials_are_required("Sqlite");

public sealed class When_materials_are_required_on_postgresql() : When_materials_are_required("PostgreSql");
