using Dapper;
using Google.Protobuf;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features.Register;

/// <summary>
/// The county's licences in the register's columns (<see cref="RegisterColumns"/>), CSV or XLSX, ordered by number:
/// what a county keeps or hands to another system, and what <see cref="ImportRegister"/> reads back unchanged. A
/// 身份证号 is never written (Certificate holds only its digest): <see cref="RegisterColumns.IdWithheld"/> stands for it.
/// </summary>
public sealed class ExportRegister(StepRunner<CertificateModule> steps, CountyDirectory counties, TimeProvider time)
{
    private const string LicencesSql = $"SELECT {CertificateRecords.Columns} FROM certificates WHERE county_code = @CountyCode ORDER BY licence_number";

    public async Task<ExportLicencesResponse> HandleAsync(ExportLicencesRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var format = request.Format.Trim().ToLowerInvariant() is "" ? RegisterFiles.Csv : request.Format.Trim().ToLowerInvariant();
        var errors = new FieldErrors();
        if (format is not (RegisterFiles.Csv or RegisterFiles.Xlsx))
        {
            errors.Add("format", "格式须为 csv 或 xlsx");
        }

        var target = RegisterSteps.County(officer);
        await steps.ThrowIfInvalidAsync(officer, RegisterSteps.Export, target, errors, cancellationToken);
        return await steps.RunAsync(officer, RegisterSteps.Export, target, async (session, countyCode) =>
        {
            var county = counties.Get(countyCode);
            var today = time.Today();
            var rows = (await session.QueryAsync<CertificateRow>(LicencesSql, new { CountyCode = countyCode })).ToList();
            var table = rows.Select(r => (IReadOnlyList<string>)Cells(r, county, today)).Prepend(RegisterColumns.All);
            var response = new ExportLicencesResponse
            {
                FileName = $"许可证登记簿-{countyCode}-{ChinaTime.Text(today)}.{format}",
                ContentType = RegisterFiles.ContentType(format),
                Content = ByteString.CopyFrom(RegisterFiles.Write(table, format)),
                Licences = rows.Count,
            };
            return new StepResult<ExportLicencesResponse>(response, $"导出 {rows.Count} 张许可证（{format}）");
        }, cancellationToken);
    }

    /// <summary>One licence in <see cref="RegisterColumns.All"/> order.</summary>
    private static string[] Cells(CertificateRow row, County county, DateOnly today) =>
    [
        row.LicenceNumber,
        row.HolderName,
        row.ResponsiblePerson,
        string.IsNullOrWhiteSpace(row.CreditCode) ? RegisterColumns.IdWithheld : row.CreditCode,
        row.PremisesAddress,
        LicenceSigner.HolderTypeLabel(row.HolderType),
        ChinaTime.Text(row.ValidFrom),
        ChinaTime.Text(row.ValidTo),
        RegisterColumns.StatusWord(row, today),
        row.Supplier ?? $"{county.Name}烟草公司",
        RegisterColumns.Number(row.Longitude),
        RegisterColumns.Number(row.Latitude),
    ];
}
