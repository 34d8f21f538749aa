using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// A county's 系统管理员 changes how the form asks for its fields per request type without a redeploy, within the law's
/// bounds: the next form and the next submission follow the change, applications already submitted are not judged
/// again; a field the law or the request type needs cannot be dropped, a field a type does not concern cannot be
/// asked; other callers change nothing; every change and refusal is in the trail. Without a change, the file's form.
/// </summary>
public sealed class When_a_county_changes_its_form : IAsyncLifetime
{
    private const string County = "330424";

    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync("Sqlite");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata Admin(string county = County) => IntakeHost.AsOfficer(county, PermitsRoles.SystemAdmin);

    private static FieldSettings Settings(RequestType type, int version, params (string Field, FieldRequirement Requirement)[] fields) => new()
    {
        CountyCode = County,
        Version = version,
        RequestTypes =
        {
            new RequestFields
            {
                RequestType = type,
                Fields = { fields.Select(f => new FieldSetting { Field = f.Field, Requirement = f.Requirement }) },
            },
        },
    };

    private Task<FieldSettings> UpdateAsync(FieldSettings settings, Metadata? who = null) =>
        _host.Client.UpdateFieldSettingsAsync(new UpdateFieldSettingsRequest { Settings = settings }, who ?? Admin()).ResponseAsync;

    private async Task<FieldRequirement> AskedAsync(RequestType type, string field) =>
        (await _host.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = County, RequestType = type }))
        .Fields.Single(f => f.Field == field).Requirement;

    private static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations;
    }

    [Fact]
    public async Task Should_give_the_file_s_form_while_nothing_is_stored()
    {
        var read = await _host.Client.GetFieldSettingsAsync(new GetFieldSettingsRequest(), Admin());

        Assert.Equal((0, "海盐县"), (read.Version, read.CountyName));
        Assert.Equal(8, read.RequestTypes.Count);
        var resume = read.RequestTypes.Single(t => t.RequestType == RequestType.Resume).Fields;
        Assert.Equal(FieldRequirement.Required, resume.Single(f => f.Field == "floor_area").Requirement);
        var newShop = read.RequestTypes.Single(t => t.RequestType == RequestType.New).Fields;
        Assert.Equal([FieldRequirement.Required], newShop.Single(f => f.Field == "business_name").Allowed);
        Assert.Equal([FieldRequirement.NotAsked], newShop.Single(f => f.Field == "licence_number").Allowed);
        Assert.Equal([FieldRequirement.Required, FieldRequirement.Optional], newShop.Single(f => f.Field == "credit_code").Allowed);
        Assert.Equal(3, newShop.Single(f => f.Field == "floor_area").Allowed.Count);
        Assert.Equal(FieldRequirement.Required, await AskedAsync(RequestType.Resume, "floor_area"));
        Assert.Empty(read.Trail);
    }

    [Fact]
    public async Task Should_follow_the_change_on_the_next_form_and_submission_and_leave_earlier_ones_as_they_were()
    {
        var before = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());

        var changed = await UpdateAsync(Settings(RequestType.New, 0,
            ("floor_area", FieldRequirement.NotAsked), ("credit_code", FieldRequirement.Required)));

        Assert.Equal(1, changed.Version);
        Assert.Equal(FieldRequirement.NotAsked, await AskedAsync(RequestType.New, "floor_area"));
        Assert.Equal(FieldRequirement.Required, await AskedAsync(RequestType.New, "credit_code"));
        Assert.Equal(FieldRequirement.Optional, await AskedAsync(RequestType.Change, "credit_code"));
        var form = SampleApplications.Individual();
        form.FloorArea = "not asked, so not checked";
        Assert.Equal("credit_code", Assert.Single(await RefusedAsync(() => _host.Client.SubmitAsync(form, IntakeHost.As()).ResponseAsync)).Field);

        form.CreditCode = "91330424MA2B3C4D5Y";
        var after = await _host.Client.SubmitAsync(form, IntakeHost.As());

        var kept = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = after.ApplicationId }, IntakeHost.As());
        Assert.Equal(("", "91330424MA2B3C4D5Y"), (kept.Form.FloorArea, kept.Form.CreditCode));
        var earlier = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = before.ApplicationId }, IntakeHost.As());
        Assert.Equal(("42.5", ""), (earlier.Form.FloorArea, earlier.Form.CreditCode));
        Assert.Equal(2, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_require_a_field_made_required_on_the_next_submission()
    {
        var form = SampleApplications.Individual();
        form.RequestType = RequestType.Resume;
        form.LicenceNumber = County + "100001";
        await UpdateAsync(Settings(RequestType.Resume, 0, ("premises_tenure", FieldRequirement.Required)));
        form.PremisesTenure = PremisesTenure.Unspecified;

        var missing = await RefusedAsync(() => _host.Client.SubmitAsync(form, IntakeHost.As()).ResponseAsync);

        Assert.Equal("premises_tenure", Assert.Single(missing).Field);
        Assert.Equal(FieldRequirement.Required, await AskedAsync(RequestType.Resume, "premises_tenure"));
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_refuse_dropping_a_needed_field_or_asking_one_a_type_does_not_concern_change_nothing_and_say_so_in_the_trail()
    {
        var bad = Settings(RequestType.New, 0,
            ("business_name", FieldRequirement.Optional), ("id_number", FieldRequirement.NotAsked),
            ("licence_number", FieldRequirement.Required), ("credit_code", FieldRequirement.NotAsked), ("shoe_size", FieldRequirement.Required));
        bad.RequestTypes.Add(new RequestFields
        {
            RequestType = RequestType.Change,
            Fields = { new FieldSetting { Field = "change_items", Requirement = FieldRequirement.Optional } },
        });

        var violations = await RefusedAsync(() => UpdateAsync(bad));

        var messages = violations.ToDictionary(v => v.Field, v => v.Description);
        Assert.Equal("新办：企业名称（字号）不能设为“选填”（许可证、审查决定和送达都需要此项）", messages["settings.request_types[0].fields[0].requirement"]);
        Assert.StartsWith("新办：负责人居民身份证号码不能设为“不询问”", messages["settings.request_types[0].fields[1].requirement"]);
        Assert.Equal("新办：现持有许可证号不能设为“必填”（新办申请不涉及此项）", messages["settings.request_types[0].fields[2].requirement"]);
        Assert.StartsWith("新办：统一社会信用代码不能设为“不询问”", messages["settings.request_types[0].fields[3].requirement"]);
        Assert.Equal("新办：shoe_size 不是申请表中可设置的栏目", messages["settings.request_types[0].fields[4].field"]);
        Assert.Equal("变更：变更事项不能设为“选填”（变更须写明变更事项）", messages["settings.request_types[1].fields[0].requirement"]);
        Assert.Equal(0, await _host.CountAsync("county_settings"));
        Assert.Equal(FieldRequirement.Required, await AskedAsync(RequestType.New, "id_number"));
        var line = Assert.Single((await _host.Client.GetFieldSettingsAsync(new GetFieldSettingsRequest(), Admin())).Trail);
        Assert.Equal("refused", line.Outcome);
        Assert.Contains("变更：变更事项不能设为“选填”", line.Detail);
    }

    [Fact]
    public async Task Should_refuse_another_county_s_administrator_a_clerk_and_a_stale_version_and_audit_them()
    {
        var change = Settings(RequestType.New, 0, ("floor_area", FieldRequirement.Optional));
        var otherAdmin = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(change, Admin("330421")));
        var clerk = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(change, IntakeHost.AsOfficer(County, PermitsRoles.Clerk)));
        var reader = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Client.GetFieldSettingsAsync(new GetFieldSettingsRequest { CountyCode = County }, IntakeHost.AsOfficer(County, PermitsRoles.Clerk)));
        await UpdateAsync(change);
        var stale = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(Settings(RequestType.New, 0, ("floor_area", FieldRequirement.NotAsked))));

        Assert.Equal(
            (StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.Aborted),
            (otherAdmin.StatusCode, clerk.StatusCode, reader.StatusCode, stale.StatusCode));
        Assert.Equal(FieldRequirement.Optional, await AskedAsync(RequestType.New, "floor_area"));
        Assert.Equal(4, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = 'fields/330424' AND action = 'ChangeFormFields' AND outcome = 'refused'"));
        var trail = (await _host.Client.GetFieldSettingsAsync(new GetFieldSettingsRequest(), Admin())).Trail;
        Assert.Equal("新办·经营面积：必填 → 选填", trail.Single(t => t.Outcome == "done").Detail);
    }
}
