using Google.Protobuf;
using Grpc.Core;
using Permits.Certificate.Features.Register;
using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Domain;

namespace Permits.Certificate.Tests;

/// <summary>
/// A county switching over imports its existing licences (许可证登记簿, CSV or XLSX) through its 系统管理员: all or
/// nothing per file, every bad row reported; the imported licences then verify, sign, match their holders and push the
/// serial counters past them; an export imports again unchanged.
/// </summary>
public abstract class When_a_county_imports_its_licence_register(string provider) : IAsyncLifetime
{
    private const string County = "330424";
    private static readonly Metadata Admin = CertificateHost.OfficerOf(County, "system-admin");
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync(provider: provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DateOnly Today => ChinaTime.DateOf(DateTimeOffset.UtcNow);

    private Task<ImportLicencesResponse> ImportAsync(byte[] content, string fileName = "登记簿.csv") =>
        _host.Client.ImportLicencesAsync(new ImportLicencesRequest { FileName = fileName, Content = ByteString.CopyFrom(content) }, Admin).ResponseAsync;

    private Task<long> LicencesAsync() => _host.ScalarAsync<long>("SELECT COUNT(*) FROM certificates");

    [Fact]
    public async Task Should_report_every_bad_row_and_store_nothing()
    {
        var rows = SampleRegisters.Rows(County, 2000, Today);
        rows[10][0] = "330421100011";                                   // another county's number
        rows[20][3] = rows[20][3][..17] + (rows[20][3][17] == '1' ? '2' : '1');  // checksum
        rows[30][7] = rows[30][6];                                      // 有效期至 not after 有效期自
        rows[40][8] = "吊销中";                                          // unknown 状态
        rows[50][0] = rows[5][0];                                       // duplicate number
        rows[60][7] = ChinaTime.Text(SampleRegistersDate(rows[60][6]).AddYears(6));  // more than five years
        rows[71][0] = County + "299998";                                 // an enterprise's holder digit on an individual business
        rows[80][0] = "33042410001";                                    // 11 digits

        var answer = await ImportAsync(SampleRegisters.Csv(rows));

        Assert.False(answer.Accepted);
        Assert.Equal([12, 22, 32, 42, 52, 62, 73, 82], answer.Rejected.Select(r => r.Row));
        var reasons = answer.Rejected.ToDictionary(r => r.Row, r => r.Reason);
        Assert.Contains("不是本县（市、区）的代码 330424", reasons[12]);
        Assert.Contains("校验不符", reasons[22]);
        Assert.Contains("有效期至应晚于有效期自", reasons[32]);
        Assert.Contains("状态“吊销中”", reasons[42]);
        Assert.Contains("与第 7 行重复", reasons[52]);
        Assert.Contains("有效期超过 5 年", reasons[62]);
        Assert.Contains("与企业类型“个体工商户”不符", reasons[73]);
        Assert.Contains("12 位数字", reasons[82]);
        Assert.Contains("8 行有误，未导入任何许可证", answer.Message);
        Assert.Equal(0, await LicencesAsync());
        Assert.Equal(0, await _host.OutboxCountAsync<LicencesImported>());
    }

    private static DateOnly SampleRegistersDate(string text) => ChinaTime.TryParseDate(text, out var day) ? day : throw new FormatException(text);

    [Fact]
    public async Task Should_import_a_good_register_once_without_issuing_events()
    {
        var csv = SampleRegisters.Csv(SampleRegisters.Rows(County, 2000, Today), bom: false);

        var first = await ImportAsync(csv);
        var second = await ImportAsync(csv);

        Assert.True(first.Accepted, first.Message + string.Join("；", first.Rejected.Take(3).Select(r => $"{r.Row}:{r.Reason}")));
        Assert.Equal((2000, 0), (first.Imported, first.Unchanged));
        Assert.True(Guid.TryParse(first.ImportId, out _));
        Assert.True(second.Accepted);
        Assert.Equal((0, 2000), (second.Imported, second.Unchanged));
        Assert.Contains("未作更改", second.Message);
        Assert.Equal("", second.ImportId);
        Assert.Equal(2000, await LicencesAsync());
        Assert.Equal(2000, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM certificates WHERE source = '导入'"));
        Assert.Equal(2, await _host.OutboxCountAsync<LicencesImported>());
        Assert.Equal(0, await _host.OutboxCountAsync<CertificateIssued>());
    }

    [Fact]
    public async Task Should_verify_sign_and_serve_an_imported_licence()
    {
        var rows = SampleRegisters.Rows(County, 20, Today);
        Assert.True((await ImportAsync(SampleRegisters.Csv(rows))).Accepted);
        var number = rows[0][0];

        var byNumber = await _host.Client.VerifyAsync(new VerifyRequest { LicenceNumber = number });
        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        var byToken = await _host.Client.VerifyAsync(new VerifyRequest { Token = licence.Token });
        var again = await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        var document = await _host.Client.GetLicenceDocumentAsync(new GetLicenceDocumentRequest { LicenceNumber = number }, CertificateHost.Officer);

        Assert.Equal(("ON_RECORD", "VALID", true), (byNumber.Authenticity, byNumber.Status, byNumber.Imported));
        Assert.Contains("由原许可证管理系统导入", byNumber.Message);
        Assert.True(licence.Imported);
        Assert.NotEmpty(licence.Token);
        Assert.Equal(licence.Token, again.Token);
        Assert.Equal(("GENUINE", "VALID", true), (byToken.Authenticity, byToken.Status, byToken.Imported));
        Assert.Equal(rows[0][1], byToken.HolderName);
        Assert.Equal(licence.Token, document.Token);
        Assert.NotEmpty(document.Pdf);
        var closed = await _host.Client.VerifyAsync(new VerifyRequest { LicenceNumber = rows.Single(r => r[8] == "歇业")[0] });
        Assert.Equal("REVOKED", closed.Status);
    }

    [Fact]
    public async Task Should_issue_the_next_number_after_the_highest_imported_serial()
    {
        var rows = SampleRegisters.Rows(County, 20, Today, firstSerial: 300);
        Assert.True((await ImportAsync(SampleRegisters.Csv(rows))).Accepted);
        var highestIndividual = rows.Where(r => r[0][6] == '1').Max(r => r[0]);
        var highestEnterprise = rows.Where(r => r[0][6] == '2').Max(r => r[0]);

        var individual = await _host.IssueAsync(CertificateHost.Approval());
        var enterprise = await _host.IssueAsync(CertificateHost.Approval(holderType: "Enterprise"));

        Assert.Equal("330424100315", highestIndividual);
        Assert.Equal((long.Parse(highestIndividual!) + 1).ToString(), individual);
        Assert.Equal((long.Parse(highestEnterprise!) + 1).ToString(), enterprise);
    }

    [Fact]
    public async Task Should_match_the_holder_of_an_imported_licence_for_a_request_on_it()
    {
        var rows = SampleRegisters.Rows(County, 10, Today);
        (rows[0][6], rows[0][7]) = (ChinaTime.Text(Today.AddYears(-4)), ChinaTime.Text(Today.AddYears(1)));  // due for 延续
        Assert.True((await ImportAsync(SampleRegisters.Csv(rows))).Accepted);
        var byId = rows[0];
        var byCode = rows[4];

        var idMatch = await _host.Client.CheckHolderAsync(new CheckHolderRequest { LicenceNumber = byId[0], IdNumber = byId[3].ToLowerInvariant() }, CertificateHost.Officer);
        var idMiss = await _host.Client.CheckHolderAsync(new CheckHolderRequest { LicenceNumber = byId[0], IdNumber = rows[1][3] }, CertificateHost.Officer);
        var codeMatch = await _host.Client.CheckHolderAsync(new CheckHolderRequest { LicenceNumber = byCode[0], CreditCode = byCode[3] }, CertificateHost.Officer);
        var renewed = await _host.Client.RenewCertificateAsync(
            new RenewCertificateRequest { LicenceNumber = byId[0], ValidTo = ChinaTime.Text(Today.AddYears(4)) }, CertificateHost.Officer);

        Assert.Equal((true, "ID_NUMBER"), (idMatch.Match, idMatch.IdentifiedBy));
        Assert.False(idMiss.Match);
        Assert.Equal((true, "CREDIT_CODE"), (codeMatch.Match, codeMatch.IdentifiedBy));
        Assert.Equal(2, renewed.Version);
        Assert.True(renewed.Imported);
    }

    [Fact]
    public async Task Should_export_what_imports_again_unchanged_as_csv_and_xlsx()
    {
        var rows = SampleRegisters.Rows(County, 300, Today);
        var xlsx = RegisterFiles.Write(rows.Prepend(SampleRegisters.Header), RegisterFiles.Xlsx);
        Assert.True((await ImportAsync(xlsx, "登记簿.xlsx")).Accepted);

        var csv = await _host.Client.ExportLicencesAsync(new ExportLicencesRequest { Format = "csv" }, Admin);
        var sheet = await _host.Client.ExportLicencesAsync(new ExportLicencesRequest { Format = "xlsx" }, Admin);
        var fromCsv = await ImportAsync(csv.Content.ToByteArray());
        var fromXlsx = await ImportAsync(sheet.Content.ToByteArray(), sheet.FileName);

        Assert.Equal(300, csv.Licences);
        Assert.EndsWith(".xlsx", sheet.FileName);
        Assert.Equal((true, 0, 300), (fromCsv.Accepted, fromCsv.Imported, fromCsv.Unchanged));
        Assert.Equal((true, 0, 300), (fromXlsx.Accepted, fromXlsx.Imported, fromXlsx.Unchanged));
        var exported = RegisterFiles.Read(csv.Content.ToByteArray(), RegisterFiles.Csv);
        Assert.Equal(SampleRegisters.Header, exported[0]);
        var original = rows.ToDictionary(r => r[0]);
        foreach (var row in exported.Skip(1))
        {
            var expected = original[row[0]];
            Assert.Equal(expected[3].Length == 18 && expected[3][..2] is "91" or "92" ? expected[3] : RegisterColumns.IdWithheld, row[3]);
            Assert.Equal(expected.Where((_, i) => i != 3), row.Where((_, i) => i != 3));
        }
    }

    [Fact]
    public async Task Should_refuse_officers_who_are_not_the_county_administrator()
    {
        var csv = SampleRegisters.Csv(SampleRegisters.Rows(County, 3, Today));

        var clerk = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ImportLicencesAsync(
            new ImportLicencesRequest { FileName = "a.csv", Content = ByteString.CopyFrom(csv) }, CertificateHost.Officer).ResponseAsync);
        var export = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ExportLicencesAsync(
            new ExportLicencesRequest { Format = "csv" }, CertificateHost.Officer).ResponseAsync);
        var notUtf8 = await Assert.ThrowsAsync<RpcException>(() => ImportAsync([0xC4, 0xE3, 0xBA, 0xC3, 0x0D, 0x0A]));

        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        Assert.Contains("系统管理员", clerk.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, export.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, notUtf8.StatusCode);
        Assert.Equal(0, await LicencesAsync());
    }
}

public sealed class When_a_county_imports_its_licence_register_on_PostgreSql() : When_a_county_imports_its_licence_register("PostgreSql");

public sealed class When_a_county_imports_its_licence_register_on_Sqlite() : When_a_county_imports_its_licence_register("Sqlite");
