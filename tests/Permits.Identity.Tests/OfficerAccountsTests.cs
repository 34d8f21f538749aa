using System.Net;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Identity.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Identity.Tests;

/// <summary>
/// One Identity service for the administration tests, with the demo accounts (hy-admin is 海盐县's only system-admin)
/// and a provincial system-admin of 浙江 (zj-admin, county 330000). Each test works on accounts of its own. The callers
/// of the gRPC API carry test tokens (signed with the test key the host trusts, as every service under test does, and
/// naming this Identity as issuer); the accounts' own sign-ins are real (password grant and sign-in page).
/// </summary>
public sealed class OfficerAccountsFixture : IAsyncLifetime
{
    public IdentityHost Host { get; private set; } = null!;

    public OfficerSignIn SignIn { get; private set; } = null!;

    public OfficerAccounts.OfficerAccountsClient Accounts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await IdentityHost.StartAsync(withSms: false, settings: new Dictionary<string, string?>
        {
            ["Identity:Officers:0:Username"] = "zj-admin",
            ["Identity:Officers:0:Password"] = OfficerSignIn.Password,
            ["Identity:Officers:0:Name"] = "浙江省局系统管理员",
            ["Identity:Officers:0:County"] = "330000",
            ["Identity:Officers:0:Roles:0"] = "system-admin",
        }.Concat(OfficerSignIn.ClientConfiguration(5)).ToDictionary());
        SignIn = new OfficerSignIn(Host.Url);
        Accounts = new OfficerAccounts.OfficerAccountsClient(Host.Channel);
    }

    /// <summary>The gRPC headers of an officer of the demo accounts (or zj-admin, js-admin1) calling.</summary>
    public Metadata As(string username, string name = "测试工作人员")
    {
        var (county, role) = username switch
        {
            "hy-admin" => ("330424", "system-admin"),
            "zj-admin" => ("330000", "system-admin"),
            "js-admin1" => ("330421", "system-admin"),
            _ => ("330424", username[3..]),
        };
        return new() { { "Authorization", "Bearer " + Tokens.Mint(PermitsAudiences.Identity, "o-" + username, name, [role], new() { ["county"] = county }, issuer: Host.Url) } };
    }

    public async Task DisposeAsync()
    {
        SignIn.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class When_a_system_admin_administers_officer_accounts(OfficerAccountsFixture fixture) : IClassFixture<OfficerAccountsFixture>
{
    private const string NewPassword = "Haiyan2027clerk";

    private OfficerAccounts.OfficerAccountsClient Accounts => fixture.Accounts;

    [Fact]
    public async Task Should_create_an_officer_who_signs_in_at_once_after_replacing_the_temporary_password()
    {
        var admin = fixture.As("hy-admin", "海盐县系统管理员");
        var created = await Accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = " HY-Clerk7 ", DisplayName = "海盐县受理员七", Roles = { "clerk" } }, admin);
        Assert.Equal("hy-clerk7", created.Officer.Username);
        Assert.Equal("o-hy-clerk7", created.Officer.OfficerId);
        Assert.Equal("330424", created.Officer.CountyCode);
        Assert.True(created.Officer.Active);
        Assert.True(created.Officer.PasswordChangeRequired);
        Assert.Equal(12, created.TemporaryPassword.Length);

        // The temporary password alone opens nothing: not the token endpoint, not the sign-in page.
        using (var grant = await PasswordGrantAsync("hy-clerk7", created.TemporaryPassword))
        {
            Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
            Assert.Contains("临时密码", await grant.Content.ReadAsStringAsync());
        }

        Assert.False(await fixture.SignIn.ReplaceTemporaryPasswordAsync("hy-clerk7", created.TemporaryPassword, "short1"));
        Assert.True(await fixture.SignIn.ReplaceTemporaryPasswordAsync("hy-clerk7", created.TemporaryPassword, NewPassword));

        var token = IdentityHost.Payload(await fixture.SignIn.TokenAsync("hy-clerk7", NewPassword));
        Assert.Equal("o-hy-clerk7", token.GetProperty("sub").GetString());
        Assert.Equal(["clerk"], IdentityHost.Values(token, "role"));
        Assert.Equal("330424", token.GetProperty("county").GetString());

        var listed = (await Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest(), admin)).Officers.Single(o => o.Username == "hy-clerk7");
        Assert.False(listed.PasswordChangeRequired);
        var change = (await Accounts.ListOfficerAccountChangesAsync(new ListOfficerAccountsRequest(), admin)).Changes
            .Single(c => c.Username == "hy-clerk7");
        Assert.Equal(("新建账号", "done", "海盐县系统管理员（o-hy-admin）"), (change.Action, change.Outcome, change.ChangedBy));
        Assert.DoesNotContain(created.TemporaryPassword, change.Detail);
    }

    [Fact]
    public async Task Should_give_new_roles_at_the_next_sign_in()
    {
        var admin = fixture.As("hy-admin", "海盐县系统管理员");
        var password = await CreateSignedUpAsync(admin, "hy-roles1", "clerk");

        var changed = await Accounts.SetOfficerRolesAsync(new SetOfficerRolesRequest { Username = "hy-roles1", Roles = { "reviewer", "inspector" } }, admin);
        Assert.Equal(["inspector", "reviewer"], changed.Roles);
        var token = IdentityHost.Payload(await fixture.SignIn.TokenAsync("hy-roles1", password));
        Assert.Equal(["inspector", "reviewer"], IdentityHost.Values(token, "role").Order());
        var change = (await Accounts.ListOfficerAccountChangesAsync(new ListOfficerAccountsRequest(), admin)).Changes
            .First(c => c.Username == "hy-roles1");
        Assert.Equal("调整岗位", change.Action);
        Assert.Contains("受理", change.Detail);
    }

    [Fact]
    public async Task Should_refuse_a_deactivated_officer_and_end_their_session_until_reactivated()
    {
        var admin = fixture.As("hy-admin", "海盐县系统管理员");
        var password = await CreateSignedUpAsync(admin, "hy-leaver1", "inspector");
        using var browser = new Browser(fixture.Host);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInOnPageAsync(browser, "hy-leaver1", password)).StatusCode);
        Assert.True(await HasSessionAsync(browser));

        var deactivated = await Accounts.DeactivateOfficerAccountAsync(new OfficerAccountRequest { Username = "hy-leaver1" }, admin);
        Assert.False(deactivated.Active);
        Assert.False(await HasSessionAsync(browser));
        using (var grant = await PasswordGrantAsync("hy-leaver1", password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
            Assert.Contains("已停用", await grant.Content.ReadAsStringAsync());
        }

        // No longer anyone's colleague (the queue's hand-over list).
        var colleagues = await new Officers.OfficersClient(fixture.Host.Channel).ListOfficersAsync(
            new ListOfficersRequest(), fixture.As("hy-clerk"));
        Assert.DoesNotContain(colleagues.Officers, o => o.Username == "hy-leaver1");

        Assert.True((await Accounts.ReactivateOfficerAccountAsync(new OfficerAccountRequest { Username = "hy-leaver1" }, admin)).Active);
        Assert.NotEmpty(await fixture.SignIn.TokenAsync("hy-leaver1", password));
        var actions = (await Accounts.ListOfficerAccountChangesAsync(new ListOfficerAccountsRequest(), admin)).Changes
            .Where(c => c.Username == "hy-leaver1").Select(c => c.Action).ToList();
        Assert.Equal(["启用账号", "停用账号", "新建账号"], actions);
    }

    [Fact]
    public async Task Should_reset_a_password_to_a_temporary_one_and_end_the_sessions()
    {
        var admin = fixture.As("hy-admin", "海盐县系统管理员");
        var password = await CreateSignedUpAsync(admin, "hy-forgot1", "reviewer");
        using var browser = new Browser(fixture.Host);
        await SignInOnPageAsync(browser, "hy-forgot1", password);

        var reset = await Accounts.ResetOfficerPasswordAsync(new OfficerAccountRequest { Username = "hy-forgot1" }, admin);
        Assert.True(reset.Officer.PasswordChangeRequired);
        Assert.False(await HasSessionAsync(browser));
        using (var old = await PasswordGrantAsync("hy-forgot1", password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }

        Assert.True(await fixture.SignIn.ReplaceTemporaryPasswordAsync("hy-forgot1", reset.TemporaryPassword, "Another2027pass"));
        Assert.NotEmpty(await fixture.SignIn.TokenAsync("hy-forgot1", "Another2027pass"));
    }

    [Fact]
    public async Task Should_refuse_bad_input_with_the_reason_and_change_nothing()
    {
        var admin = fixture.As("hy-admin", "海盐县系统管理员");
        var before = await Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest(), admin);

        var duplicate = await Assert.ThrowsAsync<RpcException>(() => Accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = "hy-clerk", DisplayName = "重名", Roles = { "clerk" } }, admin).ResponseAsync);
        Assert.Equal((StatusCode.AlreadyExists, "用户名 hy-clerk 已被使用，请换一个"), (duplicate.StatusCode, duplicate.Status.Detail));

        var unknownRole = await Assert.ThrowsAsync<RpcException>(() => Accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = "hy-boss", DisplayName = "局长", Roles = { "boss" } }, admin).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknownRole.StatusCode);
        Assert.Equal("没有“boss”这个岗位", Violation(unknownRole, "roles"));
        var badName = await Assert.ThrowsAsync<RpcException>(() => Accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = "张三", DisplayName = "", Roles = { "clerk" } }, admin).ResponseAsync);
        Assert.Contains("小写字母", Violation(badName, "username"));
        Assert.Equal("请填写工作人员姓名", Violation(badName, "display_name"));

        var otherCounty = await Assert.ThrowsAsync<RpcException>(() => Accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = "js-clerk9", DisplayName = "嘉善县受理员九", CountyCode = "330421", Roles = { "clerk" } }, admin).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, otherCounty.StatusCode);
        Assert.Contains("只能管理本县（市、区）的工作人员账号", otherCounty.Status.Detail);
        var otherCountysOfficer = await Assert.ThrowsAsync<RpcException>(() => Accounts.DeactivateOfficerAccountAsync(
            new OfficerAccountRequest { Username = "js-clerk" }, admin).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, otherCountysOfficer.StatusCode);

        var self = await Assert.ThrowsAsync<RpcException>(() => Accounts.DeactivateOfficerAccountAsync(
            new OfficerAccountRequest { Username = "hy-admin" }, admin).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "不能停用自己的账号"), (self.StatusCode, self.Status.Detail));

        var lastAdmin = await Assert.ThrowsAsync<RpcException>(() => Accounts.SetOfficerRolesAsync(
            new SetOfficerRolesRequest { Username = "hy-admin", Roles = { "clerk" } }, admin).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, lastAdmin.StatusCode);
        Assert.Contains("唯一在用的系统管理员，不能取消其系统管理员岗位", lastAdmin.Status.Detail);

        var after = await Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest(), admin);
        Assert.Equal(before.Officers.Where(o => o.Username.StartsWith("hy-", StringComparison.Ordinal) && !IsTestOwn(o.Username)),
            after.Officers.Where(o => o.Username.StartsWith("hy-", StringComparison.Ordinal) && !IsTestOwn(o.Username)));
        Assert.DoesNotContain(after.Officers, o => o.Username is "hy-boss" or "js-clerk9");
        var refusals = (await Accounts.ListOfficerAccountChangesAsync(new ListOfficerAccountsRequest(), admin)).Changes
            .Where(c => c.Outcome == "refused" && c.Username == "hy-admin").Select(c => c.Action).ToList();
        Assert.Contains("停用账号", refusals);
    }

    [Fact]
    public async Task Should_refuse_everyone_but_a_system_admin()
    {
        foreach (var username in new[] { "hy-clerk", "hy-head" })
        {
            var officer = fixture.As(username);
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest(), officer).ResponseAsync);
            Assert.Equal((StatusCode.PermissionDenied, "只有系统管理员可以管理工作人员账号"), (refused.StatusCode, refused.Status.Detail));
        }

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task Should_let_a_provincial_admin_administer_the_counties_of_the_province_only()
    {
        var province = fixture.As("zj-admin");
        var created = await Accounts.CreateOfficerAccountAsync(new CreateOfficerAccountRequest
        {
            Username = "js-admin1", DisplayName = "嘉善县系统管理员", CountyCode = "330421", Roles = { "system-admin" },
        }, province);
        Assert.Equal("330421", created.Officer.CountyCode);
        var jiashan = await Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest { CountyCode = "330421" }, province);
        Assert.Contains(jiashan.Officers, o => o.Username == "js-clerk");
        Assert.Contains(jiashan.Officers, o => o.Username == "js-admin1");

        var jiangsu = await Assert.ThrowsAsync<RpcException>(() => Accounts.ListOfficerAccountsAsync(
            new ListOfficerAccountsRequest { CountyCode = "320583" }, province).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, jiangsu.StatusCode);
        Assert.Contains("只能管理本省的工作人员账号", jiangsu.Status.Detail);

        // The new county administrator administers their county, and theirs only.
        Assert.True(await fixture.SignIn.ReplaceTemporaryPasswordAsync("js-admin1", created.TemporaryPassword, NewPassword));
        Assert.Equal(["system-admin"], IdentityHost.Values(IdentityHost.Payload(await fixture.SignIn.TokenAsync("js-admin1", NewPassword)), "role"));
        var countyAdmin = fixture.As("js-admin1");
        Assert.Contains((await Accounts.ListOfficerAccountsAsync(new ListOfficerAccountsRequest(), countyAdmin)).Officers, o => o.Username == "js-clerk");
        var haiyan = await Assert.ThrowsAsync<RpcException>(() => Accounts.ListOfficerAccountsAsync(
            new ListOfficerAccountsRequest { CountyCode = "330424" }, countyAdmin).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, haiyan.StatusCode);
    }

    private static bool IsTestOwn(string username) =>
        username is "hy-clerk7" or "hy-roles1" or "hy-leaver1" or "hy-forgot1";

    /// <summary>An account created by hy-admin whose temporary password is already replaced; its password.</summary>
    private async Task<string> CreateSignedUpAsync(Metadata admin, string username, string role)
    {
        var created = await Accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = username, DisplayName = "测试人员", Roles = { role } }, admin);
        Assert.True(await fixture.SignIn.ReplaceTemporaryPasswordAsync(username, created.TemporaryPassword, NewPassword));
        return NewPassword;
    }

    private Task<HttpResponseMessage> PasswordGrantAsync(string username, string password) =>
        fixture.Host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId), ("client_secret", IdentityHost.ClientSecret),
            ("username", username), ("password", password), ("scope", "openid permits"));

    private async Task<HttpResponseMessage> SignInOnPageAsync(Browser browser, string username, string password)
    {
        using var page = await browser.GetAsync(fixture.Host.Url + "account/officer");
        var html = await page.Content.ReadAsStringAsync();
        return await browser.PostFormAsync(fixture.Host.Url + "account/officer",
            ("__RequestVerificationToken", Browser.AntiforgeryOf(html)), ("returnUrl", "/"), ("username", username), ("password", password));
    }

    /// <summary>Whether Identity still knows the browser as signed in: authorize issues a code rather than asking to sign in.</summary>
    private static async Task<bool> HasSessionAsync(Browser browser)
    {
        using var authorize = await browser.GetAsync(browser.AuthorizeUrl + "&acr_values=officer");
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        return authorize.Headers.Location!.ToString().StartsWith(IdentityHost.RedirectUri, StringComparison.Ordinal);
    }

    private static string? Violation(RpcException ex, string field) =>
        ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault(v => v.Field == field)?.Description;
}

/// <summary>Without the demo switch there are no demo accounts; a configured officer only bootstraps the county.</summary>
public sealed class When_identity_runs_without_the_demo_switch
{
    [Fact]
    public async Task Should_have_no_demo_officers_and_create_a_configured_one_with_a_temporary_password()
    {
        await using var host = await IdentityHost.StartAsync(withSms: false, settings: new Dictionary<string, string?>
        {
            ["Identity:DemoAccounts"] = "false",
            ["Identity:Officers:0:Username"] = "hy-first",
            ["Identity:Officers:0:Password"] = "Bootstrap2026",
            ["Identity:Officers:0:Name"] = "海盐县首位系统管理员",
            ["Identity:Officers:0:County"] = "330424",
            ["Identity:Officers:0:Roles:0"] = "system-admin",
        }.Concat(OfficerSignIn.ClientConfiguration(5)).ToDictionary());
        using var signIn = new OfficerSignIn(host.Url);

        var demo = await Assert.ThrowsAsync<InvalidOperationException>(() => signIn.TokenAsync("hy-clerk"));
        Assert.Contains("invalid_grant", demo.Message);
        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => signIn.TokenAsync("hy-first", "Bootstrap2026"));
        Assert.Contains("临时密码", first.Message);
        Assert.True(await signIn.ReplaceTemporaryPasswordAsync("hy-first", "Bootstrap2026", "MyOwn2026pass"));
        Assert.Equal("330424", IdentityHost.Payload(await signIn.TokenAsync("hy-first", "MyOwn2026pass")).GetProperty("county").GetString());
        var admin = new Metadata
        {
            { "Authorization", "Bearer " + Tokens.Mint(PermitsAudiences.Identity, "o-hy-first", null, ["system-admin"], new() { ["county"] = "330424" }, issuer: host.Url) },
        };
        var officers = await new OfficerAccounts.OfficerAccountsClient(host.Channel).ListOfficerAccountsAsync(new ListOfficerAccountsRequest(), admin);
        Assert.Equal(["hy-first"], officers.Officers.Select(o => o.Username));
    }
}
