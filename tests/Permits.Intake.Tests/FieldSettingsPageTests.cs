using Permits.Contracts.Intake.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// 本县设置 in the Portal against the real Intake: the form's fields of each request type with a choice each, the
/// locked ones shown as locked and the ones a type does not concern left out; a change saved is in force on the next
/// form, a refused one is shown at its field.
/// </summary>
public sealed class When_the_administrator_sets_the_form_on_the_settings_page : IntakePages
{
    [Fact]
    public async Task Should_show_the_choices_save_a_change_and_show_a_refusal_at_its_field()
    {
        using var admin = Portal.Officer("permits-intake", "330424", PermitsRoles.SystemAdmin);
        var page = await admin.GetStringAsync("/admin/settings");

        var text = PortalForms.Text(page);
        Assert.Contains("新办申请表的栏目", text);
        Assert.Contains("必填（锁定） 许可证、审查决定和送达都需要此项", text);
        Assert.Contains("name=\"f-New-floor_area\"", page);
        Assert.DoesNotContain("name=\"f-New-business_name\"", page);
        Assert.DoesNotContain("f-New-licence_number", page);
        Assert.Contains("name=\"f-Change-changed_on\"", page);

        var (_, saved) = await PortalForms.PostAsync(admin, "/admin/settings?handler=Fields",
            [new("version", "0"), new("f-New-floor_area", "no"), new("f-New-credit_code", "optional")], page);

        Assert.Contains("申请表栏目已保存", PortalForms.Text(saved));
        Assert.Contains("新办·经营面积：必填 → 不询问", PortalForms.Text(saved));
        var spec = await Intake.Client.GetFormSpecAsync(new GetFormSpecRequest { CountyCode = "330424", RequestType = RequestType.New });
        Assert.Equal(FieldRequirement.NotAsked, spec.Fields.Single(f => f.Field == "floor_area").Requirement);

        // A choice the page does not offer (a crafted post) is refused by Intake and shown beside its select.
        var (_, refused) = await PortalForms.PostAsync(admin, "/admin/settings?handler=Fields",
            [new("version", "1"), new("f-New-credit_code", "no")], saved);

        Assert.Contains("未保存：请改正以下内容", PortalForms.Text(refused));
        Assert.Contains("href=\"#fields-request_types[0]_fields[0]_requirement\"", refused);
        Assert.Contains("id=\"fields-request_types[0]_fields[0]_requirement-error\"", refused);
        Assert.Contains("新办：统一社会信用代码不能设为“不询问”", PortalForms.Text(refused));
        Assert.Equal(1, (await Intake.Client.GetFieldSettingsAsync(new GetFieldSettingsRequest(),
            IntakeHost.AsOfficer("330424", PermitsRoles.SystemAdmin))).Version);
    }
}
