using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// A county's 系统管理员 changes the materials of a request type without a redeploy, within the law's set: the next
/// form lists them and the next submission is checked against them; a legally required material cannot be dropped;
/// other callers change nothing; every change and refusal is audited.
/// </summary>
public sealed class When_a_county_changes_its_materials : IAsyncLifetime
{
    private const string County = "330424";
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01];

    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync("Sqlite", requireMaterials: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata Admin(string county = County) => IntakeHost.AsOfficer(county, PermitsRoles.SystemAdmin);

    private static MaterialSettings Settings(RequestType type, MaterialKind[] required, MaterialKind[] optional, int version = 0) => new()
    {
        CountyCode = County,
        Version = version,
        RequestTypes = { new RequestMaterials { RequestType = type, Required = { required }, Optional = { optional } } },
    };

    private Task<MaterialSettings> UpdateAsync(MaterialSettings settings, Metadata? who = null) =>
        _host.Client.UpdateMaterialSettingsAsync(new UpdateMaterialSettingsRequest { Settings = settings }, who ?? Admin()).ResponseAsync;

    private async Task<string> DraftWithAsync(params MaterialKind[] kinds)
    {
        var draftId = (await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As())).DraftId;
        foreach (var kind in kinds)
        {
            await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
            {
                DraftId = draftId, Kind = kind, FileName = $"{kind}.jpg", Content = ByteString.CopyFrom([.. Jpeg, (byte)kind]),
            }, IntakeHost.As());
        }

        return draftId;
    }

    [Fact]
    public async Task Should_list_and_check_the_new_materials_on_the_next_request()
    {
        var spec = new GetFormSpecRequest { CountyCode = County, RequestType = RequestType.New };
        Assert.Equal(4, (await _host.Client.GetFormSpecAsync(spec)).Materials.Count);
        var draftId = await DraftWithAsync(MaterialKind.IdCard, MaterialKind.PremisesProof);
        var form = (await _host.Client.GetDraftAsync(new GetDraftRequest { DraftId = draftId }, IntakeHost.As())).Form;
        var missing = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(form, IntakeHost.As()).ResponseAsync);
        Assert.Contains("营业执照", missing.Status.Detail);

        await UpdateAsync(Settings(RequestType.New, [MaterialKind.IdCard, MaterialKind.PremisesProof], [MaterialKind.BusinessLicence]));

        var after = await _host.Client.GetFormSpecAsync(spec);
        Assert.Equal([MaterialKind.IdCard, MaterialKind.PremisesProof], after.Materials);
        Assert.Equal([MaterialKind.BusinessLicence], after.OptionalMaterials);
        Assert.Equal([MaterialKind.IdCard, MaterialKind.PremisesProof],
            (await _host.Client.GetRequirementsAsync(new GetRequirementsRequest { CountyCode = County, RequestType = RequestType.New })).Materials);
        var submitted = await _host.Client.SubmitAsync(form, IntakeHost.As());
        Assert.NotEmpty(submitted.ApplicationNumber);
    }

    [Fact]
    public async Task Should_refuse_dropping_a_legally_required_material_and_change_nothing()
    {
        var bad = Settings(RequestType.New, [MaterialKind.PremisesProof, MaterialKind.SitePhoto], [MaterialKind.IdCard, MaterialKind.PremisesProof]);

        var error = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(bad));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var messages = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Description).ToList();
        Assert.Contains("新办：实地核查照片由核查人员拍摄上传，不能要求申请人提交", messages);
        Assert.Contains("新办：负责人身份证是法定必交材料，不能取消或改为选交", messages);
        Assert.Contains("新办：场所产权证明或租赁合同不能既是必交又是选交", messages);
        Assert.Equal(0, await _host.CountAsync("county_settings"));
        Assert.Equal(4, (await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = County, RequestType = RequestType.New })).Materials.Count);
    }

    [Fact]
    public async Task Should_refuse_another_county_s_administrator_and_a_clerk_and_audit_both()
    {
        var change = Settings(RequestType.Suspend, [MaterialKind.IdCard], []);
        var otherAdmin = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(change, Admin("330421")));
        var clerk = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Client.GetMaterialSettingsAsync(new GetMaterialSettingsRequest { CountyCode = County }, IntakeHost.AsOfficer(County, "clerk")));

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (otherAdmin.StatusCode, clerk.StatusCode));
        Assert.Equal(0, await _host.CountAsync("county_settings"));
        Assert.Equal(2, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = 'materials/330424' AND action = 'ChangeMaterials' AND outcome = 'refused'"));
    }

    [Fact]
    public async Task Should_record_what_changed_in_the_trail_and_keep_the_other_types()
    {
        await UpdateAsync(Settings(RequestType.New, [MaterialKind.IdCard, MaterialKind.PremisesProof], [MaterialKind.PremisesPhoto]));

        var read = await _host.Client.GetMaterialSettingsAsync(new GetMaterialSettingsRequest(), Admin());

        Assert.Equal(1, read.Version);
        Assert.Equal(8, read.RequestTypes.Count);
        Assert.Equal([MaterialKind.IdCard, MaterialKind.BusinessLicence, MaterialKind.PremisesProof], read.RequestTypes.Single(t => t.RequestType == RequestType.Change).Required);
        var line = Assert.Single(read.Trail);
        Assert.Equal("done", line.Outcome);
        Assert.Equal("新办必交：负责人身份证、营业执照、场所产权证明或租赁合同、经营场所照片 → 负责人身份证、场所产权证明或租赁合同；新办选交：（空） → 经营场所照片", line.Detail);
    }
}
