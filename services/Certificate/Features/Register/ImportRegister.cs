using System.Security.Cryptography;
using Dapper;
using Permits.Certificate.Domain;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features.Register;

/// <summary>The 系统管理员's steps on the county's licence register.</summary>
public static class RegisterSteps
{
    private static readonly IReadOnlyList<string> AdminRoles = [PermitsRoles.SystemAdmin];

    public static readonly OfficerStep Import = new("ImportRegister", "导入许可证登记簿", AdminRoles);
    public static readonly OfficerStep Export = new("ExportRegister", "导出许可证登记簿", AdminRoles);

    /// <summary>The officer's own county: the register is always theirs.</summary>
    public static StepTarget<string> County(Officer officer) => new(
        officer.CountyCode, "本县（市、区）许可证登记簿", "未知的县（市、区）",
        _ => Task.FromResult<string?>(officer.CountyCode), county => county, _ => Task.FromResult<string?>(officer.CountyCode));
}

/// <summary>
/// Imports a county's licence register from its previous system, all or nothing: every row is checked
/// (<see cref="RegisterRowReader"/>, numbers unique in the file, a number already in the register only when it says the
/// same); one rejected row and nothing is stored, every rejected row reported. Rows already in the register as they
/// are skipped, so a file imported twice changes nothing the second time. The imported licences are first-class:
/// marked 导入 with the import's id, their holder's 身份证号 digest kept so requests on them match through
/// <see cref="CheckHolder"/>, the serial counters moved past the highest imported serial, and Review told in batches
/// (<see cref="LicencesImported"/>) so its 合理布局 check counts them. Nothing is delivered or disclosed: these licences
/// were issued before (no CertificateIssued).
/// <para>
/// Signing is lazy: each licence gets its e-licence identifier now and its signed token at its first read
/// (<see cref="LicenceTokens"/>); SM2 signing every row would cost several minutes for a large county.
/// </para>
/// </summary>
public sealed class ImportRegister(StepRunner<CertificateModule> steps, CountyDirectory counties, LicenceSigner signer, TimeProvider time)
{
    /// <summary>Licences per <see cref="LicencesImported"/> message.</summary>
    public const int EventBatch = 1000;

    private const string ExistingSql = $"SELECT {CertificateRecords.Columns} FROM certificates WHERE county_code = @CountyCode";

    private const string ImportSql = """
        INSERT INTO licence_imports (id, county_code, file_name, file_sha256, row_count, imported_count, officer_id, imported_at)
        VALUES (@Id, @CountyCode, @FileName, @FileSha256, @RowCount, @ImportedCount, @OfficerId, @ImportedAt)
        """;

    public async Task<ImportLicencesResponse> HandleAsync(ImportLicencesRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var format = RegisterFiles.FormatOf(request.FileName);
        if (format is null)
        {
            errors.Add("file_name", "请上传 .csv（UTF-8）或 .xlsx 文件");
        }
        else if (request.Content.IsEmpty)
        {
            errors.Add("content", "文件是空的");
        }

        var target = RegisterSteps.County(officer);
        await steps.ThrowIfInvalidAsync(officer, RegisterSteps.Import, target, errors, cancellationToken);
        return await steps.RunAsync(officer, RegisterSteps.Import, target, async (session, countyCode) =>
        {
            // Read only once the officer may import: what is wrong with a file is no business of anyone else.
            var table = Read(request.Content.ToByteArray(), format!);
            var response = await CheckAsync(session, table, countyCode);
            if (!response.Accepted || response.Entries.Count == 0)
            {
                return new StepResult<ImportLicencesResponse>(response.Answer, response.Answer.Message);
            }

            var importId = Guid.NewGuid();
            await StoreAsync(session, importId, request.FileName, request.Content.ToByteArray(), table.Count - 1, response.Entries, officer, countyCode);
            response.Answer.ImportId = importId.ToString();
            return new StepResult<ImportLicencesResponse>(response.Answer, $"{response.Answer.Message}（导入批次 {importId}）");
        }, cancellationToken);
    }

    private static List<string[]> Read(byte[] content, string format)
    {
        try
        {
            return RegisterFiles.Read(content, format);
        }
        catch (UnreadableRegisterException error)
        {
            new FieldErrors().Add("content", error.Message).ThrowIfAny();
            throw;
        }
    }

    private sealed record Checked(bool Accepted, ImportLicencesResponse Answer, List<RegisterEntry> Entries);

    private async Task<Checked> CheckAsync(DbSession session, List<string[]> table, string countyCode)
    {
        var answer = new ImportLicencesResponse();
        if (table.Count == 0)
        {
            answer.Rejected.Add(new RejectedRow { Row = 1, Reason = "文件中没有表头" });
            answer.Message = "文件中没有表头，未导入任何许可证";
            return new Checked(false, answer, []);
        }

        var reader = new RegisterRowReader(table[0], countyCode, time.Today());
        var missing = reader.MissingColumns.ToList();
        if (missing.Count > 0)
        {
            answer.Rejected.Add(new RejectedRow { Row = 1, Reason = $"表头缺少列：{string.Join("、", missing)}" });
            answer.Message = "表头与许可证登记簿的列不符，未导入任何许可证";
            return new Checked(false, answer, []);
        }

        var existing = (await session.QueryAsync<CertificateRow>(ExistingSql, new { CountyCode = countyCode }))
            .ToDictionary(r => r.LicenceNumber, StringComparer.Ordinal);
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = new List<RegisterEntry>();
        var unchanged = 0;
        var rows = 0;
        for (var i = 1; i < table.Count; i++)
        {
            if (table[i].All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows++;
            var rowNumber = i + 1;
            var (entry, number, problems) = reader.Read(rowNumber, table[i]);
            if (number.Length > 0 && !firstRowOf.TryAdd(number, rowNumber))
            {
                problems.Add($"许可证号与第 {firstRowOf[number]} 行重复");
            }

            if (entry is not null && problems.Count == 0)
            {
                if (existing.TryGetValue(number, out var stored))
                {
                    if (entry.SameAs(stored))
                    {
                        unchanged++;
                        continue;
                    }

                    problems.Add("许可证号已在登记簿中，且内容与本行不同");
                }
                else if (entry.IdentifierWithheld)
                {
                    problems.Add("新导入的许可证须填写身份证号或统一社会信用代码");
                }
                else
                {
                    entries.Add(entry);
                }
            }

            if (problems.Count > 0)
            {
                answer.Rejected.Add(new RejectedRow { Row = rowNumber, LicenceNumber = number, Reason = string.Join("；", problems) });
            }
        }

        if (answer.Rejected.Count > 0)
        {
            answer.Message = $"共 {rows} 行，其中 {answer.Rejected.Count} 行有误，未导入任何许可证；请改正后重新导入整个文件";
            return new Checked(false, answer, []);
        }

        answer.Accepted = true;
        answer.Imported = entries.Count;
        answer.Unchanged = unchanged;
        answer.Message = entries.Count == 0
            ? $"本文件的 {unchanged} 张许可证已全部在登记簿中，未作更改（重复导入）"
            : $"导入 {entries.Count} 张许可证" + (unchanged > 0 ? $"，{unchanged} 张已在登记簿中未作更改" : "");
        return new Checked(true, answer, entries);
    }

    private async Task StoreAsync(
        DbSession session, Guid importId, string fileName, byte[] content, int rowCount, List<RegisterEntry> entries,
        Officer officer, string countyCode)
    {
        var county = counties.Get(countyCode);
        var now = time.GetUtcNow();
        await session.ExecuteAsync(ImportSql, new
        {
            Id = importId,
            CountyCode = countyCode,
            FileName = fileName.Length > 200 ? fileName[..200] : fileName,
            FileSha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            RowCount = rowCount,
            ImportedCount = entries.Count,
            OfficerId = officer.Id,
            ImportedAt = now,
        });

        var licences = entries.Select(e => new ImportedRow(
            DeterministicGuid.Create(countyCode, e.LicenceNumber, "imported-certificate"),
            DeterministicGuid.Create(countyCode, e.LicenceNumber, "imported-licence"),
            e,
            signer.ElicenceIdOf(countyCode, e.LicenceNumber, 1))).ToList();
        await RegisterBulkInsert.InsertAsync(session, licences, new ImportedBatch(countyCode, county.Authority, importId, now));

        foreach (var highest in entries.GroupBy(e => e.LicenceNumber[6]).Select(g => (Digit: g.Key, Serial: g.Max(e => e.Serial))))
        {
            await Counters.RaiseAsync(session, LicenceNumber.CounterName(countyCode, highest.Digit), highest.Serial);
        }

        var batch = 0;
        foreach (var chunk in licences.Chunk(EventBatch))
        {
            await session.PublishAsync(new LicencesImported(
                importId, ++batch, countyCode,
                [.. chunk.Select(l => new ImportedLicence(
                    l.ApplicationId, l.Entry.LicenceNumber, l.Entry.HolderType, l.Entry.HolderName, l.Entry.PremisesAddress,
                    l.Entry.ValidFrom, l.Entry.ValidTo, l.Entry.Status, l.Entry.Longitude, l.Entry.Latitude))],
                now), DeterministicGuid.Create(importId, "licences-imported", batch));
        }
    }
}

/// <summary>A licence about to be stored: its ids, the row it came from and its e-licence identifier (signed later).</summary>
public sealed record ImportedRow(Guid Id, Guid ApplicationId, RegisterEntry Entry, string ElicenceId);

/// <summary>What every licence of one import shares.</summary>
public sealed record ImportedBatch(string CountyCode, string IssuingAuthority, Guid ImportId, DateTimeOffset ImportedAt);
