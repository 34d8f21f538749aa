using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Certificate.V1;
using Permits.Certificate.Signing;
using Microsoft.Extensions.DependencyInjection;
using Permits.Certificate.Domain;
using System.Text.Json;

namespace Permits.Certificate.Tests;

public abstract class When_a_licence_goes_through_its_lifecycle(string provider) : IAsyncLifetime
{
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync(provider: provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(string Number, string Token)> IssueAsync()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;
        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        return (number, licence.Token);
    }

    private Task<VerifyResponse> VerifyAsync(string token) =>
        _host.Client.VerifyAsync(new VerifyRequest { Token = token }).ResponseAsync;

    [Fact]
    public async Task Should_issue_version_one_signed_and_verifiable()
    {
        var (number, token) = await IssueAsync();
        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);

        Assert.Equal(1, licence.Version);
        Assert.True(ElicenceIdentifier.IsValid(licence.ElicenceId));
        Assert.EndsWith($".{number}.001.{licence.ElicenceId[^1]}", licence.ElicenceId);
        var verified = await VerifyAsync(token);
        Assert.Equal(("GENUINE", "VALID"), (verified.Authenticity, verified.Status));
        Assert.Equal(number, verified.LicenceNumber);
        Assert.Equal("海盐县武原街道便民烟杂店", verified.HolderName);
        Assert.Contains("Permits.Contracts.Certificate.CertificateIssued, Permits.Contracts", await _host.OutboxTypesAsync());
    }

    [Fact]
    public async Task Should_verify_a_revoked_licence_as_genuine_but_revoked()
    {
        var (number, token) = await IssueAsync();

        var revoked = await _host.Client.RevokeCertificateAsync(new RevokeCertificateRequest
        {
            LicenceNumber = number, OfficerId = "officer-2", Kind = RevocationKind.Cancelled, Reason = "经营者申请注销",
        }, CertificateHost.Officer);

        Assert.Equal("Revoked", revoked.Status);
        var verified = await VerifyAsync(token);
        Assert.Equal(("GENUINE", "REVOKED"), (verified.Authenticity, verified.Status));
        var byNumber = await _host.Client.VerifyAsync(new VerifyRequest { LicenceNumber = number });
        Assert.Equal("REVOKED", byNumber.Status);
        Assert.Contains("Permits.Contracts.Certificate.CertificateRevoked, Permits.Contracts", await _host.OutboxTypesAsync());
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ReissueCertificateAsync(
            new ReissueCertificateRequest { LicenceNumber = number, OfficerId = "officer-2", Reason = "遗失" }, CertificateHost.Officer).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task Should_suspend_and_resume()
    {
        var (number, token) = await IssueAsync();

        await _host.Client.SuspendCertificateAsync(new SuspendCertificateRequest { LicenceNumber = number, OfficerId = "o", Reason = "店面装修停业" }, CertificateHost.Officer);
        Assert.Equal("SUSPENDED", (await VerifyAsync(token)).Status);
        await _host.Client.ResumeCertificateAsync(new ResumeCertificateRequest { LicenceNumber = number, OfficerId = "o" }, CertificateHost.Officer);
        Assert.Equal("VALID", (await VerifyAsync(token)).Status);

        var again = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ResumeCertificateAsync(
            new ResumeCertificateRequest { LicenceNumber = number, OfficerId = "o" }, CertificateHost.Officer).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        var types = await _host.OutboxTypesAsync();
        Assert.Contains("Permits.Contracts.Certificate.CertificateSuspended, Permits.Contracts", types);
        Assert.Contains("Permits.Contracts.Certificate.CertificateResumed, Permits.Contracts", types);
        Assert.Equal(2, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE body LIKE '%certificate-suspended%' OR body LIKE '%certificate-resumed%'"));
    }

    [Fact]
    public async Task Should_issue_a_new_version_on_change_keeping_the_number_and_supersede_the_old()
    {
        var (number, oldToken) = await IssueAsync();

        var changed = await _host.Client.ChangeCertificateAsync(new ChangeCertificateRequest
        {
            LicenceNumber = number, OfficerId = "o", Reason = "名称变更", HolderName = "海盐县武原街道新名烟杂店",
        }, CertificateHost.Officer);

        Assert.Equal((number, 2), (changed.LicenceNumber, changed.Version));
        Assert.Contains($".{number}.002.", changed.ElicenceId);
        Assert.Equal("SUPERSEDED", (await VerifyAsync(oldToken)).Status);
        var current = await VerifyAsync(changed.Token);
        Assert.Equal(("GENUINE", "VALID", "海盐县武原街道新名烟杂店"), (current.Authenticity, current.Status, current.HolderName));

        var longest = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddYears(5).AddDays(-1).ToString("yyyy-MM-dd");
        var renewed = await _host.Client.RenewCertificateAsync(new RenewCertificateRequest
        {
            LicenceNumber = number, OfficerId = "o", ValidTo = longest,
        }, CertificateHost.Officer);
        Assert.Equal((number, 3, longest), (renewed.LicenceNumber, renewed.Version, renewed.ValidTo));
        Assert.Equal("SUPERSEDED", (await VerifyAsync(changed.Token)).Status);
    }

    [Fact]
    public async Task Should_reissue_the_same_version_as_a_marked_duplicate()
    {
        var (number, original) = await IssueAsync();

        var duplicate = await _host.Client.ReissueCertificateAsync(
            new ReissueCertificateRequest { LicenceNumber = number, OfficerId = "o", Reason = "许可证遗失" }, CertificateHost.Officer);

        Assert.Equal((1, 1), (duplicate.Version, duplicate.Duplicate));
        var verified = await VerifyAsync(duplicate.Token);
        Assert.Equal(("VALID", 1, 1), (verified.Status, verified.Version, verified.Duplicate));
        Assert.Equal("SUPERSEDED", (await VerifyAsync(original)).Status);
        Assert.Contains("Permits.Contracts.Certificate.CertificateReissued, Permits.Contracts", await _host.OutboxTypesAsync());
    }

    [Fact]
    public async Task Should_publish_one_event_and_one_masked_disclosure_record_for_every_step()
    {
        var (number, _) = await IssueAsync();
        var longest = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddYears(5).AddDays(-1).ToString("yyyy-MM-dd");

        await _host.Client.SuspendCertificateAsync(new SuspendCertificateRequest { LicenceNumber = number, Reason = "装修" }, CertificateHost.Officer);
        await _host.Client.ResumeCertificateAsync(new ResumeCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        await _host.Client.ChangeCertificateAsync(new ChangeCertificateRequest { LicenceNumber = number, ResponsiblePerson = "李四" }, CertificateHost.Officer);
        await _host.Client.RenewCertificateAsync(new RenewCertificateRequest { LicenceNumber = number, ValidTo = longest }, CertificateHost.Officer);
        await _host.Client.ReissueCertificateAsync(new ReissueCertificateRequest { LicenceNumber = number, Reason = "遗失" }, CertificateHost.Officer);
        await _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, Kind = RevocationKind.Cancelled, Reason = "经营者申请注销" }, CertificateHost.Officer);

        string[] events = ["CertificateIssued", "CertificateSuspended", "CertificateResumed", "CertificateVersionIssued", "CertificateVersionIssued",
            "CertificateReissued", "CertificateRevoked"];
        string[] kinds = ["certificate-issued", "certificate-suspended", "certificate-resumed", "certificate-changed", "certificate-renewed",
            "certificate-reissued", "certificate-revoked"];
        var types = await _host.OutboxTypesAsync();
        Assert.Equal(events, types.Where(t => t.StartsWith("Permits.Contracts.Certificate.", StringComparison.Ordinal))
            .Select(t => t["Permits.Contracts.Certificate.".Length..t.IndexOf(',')]));
        var disclosures = await _host.OutboxBodiesAsync("Permits.Contracts.Disclosure.DisclosureRecorded, Permits.Contracts");
        Assert.Equal(kinds, disclosures.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("kind").GetString()));
        Assert.All(disclosures, b => Assert.DoesNotContain("张三", b));
        var fields = disclosures.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("publicFields")).ToList();
        string[] published = ["XK_NR", "XK_XDR_MC", "XK_XKBH", "XK_XKJG", "XK_XKJGDM", "XK_XKZS", "XK_YXQZ", "XK_YXQZI", "XK_ZT"];
        Assert.All(fields, f => Assert.Equal(published, f.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.Equal(["有效", "停业", "有效", "有效", "有效", "有效", "注销"], fields.Select(f => f.GetProperty("XK_ZT").GetString()));
        Assert.All(fields, f => Assert.Equal((number, "卷烟、雪茄烟零售（不含电子烟）"), (f.GetProperty("XK_XKBH").GetString(), f.GetProperty("XK_NR").GetString())));
        Assert.Equal(longest, fields[4].GetProperty("XK_YXQZI").GetString());
        Assert.All(disclosures, b => Assert.DoesNotContain("李四", b));
        var history = await _host.Client.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = number }, CertificateHost.Officer);
        Assert.Equal(["Issued", "Suspended", "Resumed", "Changed", "Renewed", "Reissued", "Cancelled"], history.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Should_verify_a_licence_past_its_end_date_as_expired()
    {
        var approval = CertificateHost.Approval() with { LeaseEndDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)) };
        var number = (await _host.IssueAsync(approval))!;
        var token = (await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Token;

        var verified = await VerifyAsync(token);

        Assert.Equal(("GENUINE", "EXPIRED"), (verified.Authenticity, verified.Status));
    }

    [Fact]
    public async Task Should_report_an_altered_token()
    {
        var (_, token) = await IssueAsync();
        var parts = token.Split('.');
        var signature = Convert.FromBase64String(parts[2].Replace('-', '+').Replace('_', '/').PadRight((parts[2].Length + 3) / 4 * 4, '='));
        signature[^1] ^= 0x01;
        var altered = $"{parts[0]}.{parts[1]}.{Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

        var verified = await VerifyAsync(altered);

        Assert.Equal("ALTERED", verified.Authenticity);
        Assert.Equal("", verified.HolderName);
    }

    [Fact]
    public async Task Should_publish_a_signed_status_list_naming_suspended_and_revoked_licences()
    {
        var (suspended, _) = await IssueAsync();
        var (revoked, _) = await IssueAsync();
        var (valid, _) = await IssueAsync();
        await _host.Client.SuspendCertificateAsync(new SuspendCertificateRequest { LicenceNumber = suspended, OfficerId = "o", Reason = "停业" }, CertificateHost.Officer);
        await _host.Client.RevokeCertificateAsync(new RevokeCertificateRequest { LicenceNumber = revoked, OfficerId = "o", Kind = RevocationKind.Closed, Reason = "歇业" }, CertificateHost.Officer);

        var list = await _host.Client.GetStatusListAsync(new GetStatusListRequest { CountyCode = "330424" });

        var keys = await _host.Client.GetSigningKeysAsync(new GetSigningKeysRequest());
        var key = Sm2.ReadPublicPem(keys.Keys.Single(k => k.KeyId == list.KeyId).PublicKeyPem);
        Assert.True(Sm2.Verify(key, System.Text.Encoding.UTF8.GetBytes(list.Payload), Convert.FromBase64String(list.Signature)));
        var entries = JsonDocument.Parse(list.Payload).RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains($"{suspended}:1:0:S", entries);
        Assert.Contains($"{revoked}:1:0:R", entries);
        Assert.DoesNotContain(entries, e => e!.StartsWith(valid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_bad_officer_input_naming_the_field()
    {
        var (number, _) = await IssueAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, OfficerId = "o", Reason = "" }, CertificateHost.Officer).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("reason", fields);
        Assert.Contains("kind", fields);
        Assert.Equal("Valid", (await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Status);
        var missing = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SuspendCertificateAsync(
            new SuspendCertificateRequest { LicenceNumber = "330424199999", OfficerId = "o", Reason = "x" }, CertificateHost.Officer).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        _ = _host.Services.GetRequiredService<SigningKeyRing>();
    }
}

public sealed class When_a_licence_goes_through_its_lifecycle_on_postgresql() : When_a_licence_goes_through_its_lifecycle("PostgreSql");

public sealed class When_a_licence_goes_through_its_lifecycle_on_sqlite() : When_a_licence_goes_through_its_lifecycle("Sqlite");
