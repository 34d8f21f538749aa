using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Reports;

/// <summary>
/// Publishes the stored draft the clerk last saw, once its year has ended, if every check passes: the stored text
/// still matches its hash, the arithmetic holds, the carry-over matches last year's published report, every owned
/// cell still equals the records, and every entered row names its source. The first publication is version 1; a
/// correction (with a note saying what changed) is the next version; no version is ever changed or removed.
/// </summary>
public sealed class PublishReport(
    ServiceDatabase<DisclosureModule> database,
    ReportDrafts drafts,
    PublishedReports published,
    ReportGenerator generator,
    TimeProvider time)
{
    public const int MaxNoteLength = 1000;

    private const string NextVersionSql = """
        SELECT COALESCE(MAX(version), 0) + 1 FROM annual_reports WHERE county_code = @CountyCode AND report_year = @Year
        """;

    private const string InsertSql = """
        INSERT INTO annual_reports (county_code, report_year, version, document_json, content_hash, published_at, published_by, correction_note)
        VALUES (@CountyCode, @Year, @Version, @DocumentJson, @ContentHash, @PublishedAt, @PublishedBy, @CorrectionNote)
        """;

    public async Task<PublishedReport> HandleAsync(PublishReportRequest request, Officer clerk, CancellationToken cancellationToken)
    {
        var county = request.CountyCode.Trim();
        var note = request.CorrectionNote.Trim();
        var errors = new FieldErrors();
        if (request.DraftHash.Trim().Length == 0)
        {
            errors.Add("draft_hash", "请先查看草稿，再发布所看到的草稿");
        }

        if (note.Length > MaxNoteLength)
        {
            errors.Add("correction_note", $"更正说明不超过 {MaxNoteLength} 个字符");
        }

        errors.ThrowIfAny();

        var thisYear = ChinaTime.DateOf(time.GetUtcNow()).Year;
        if (request.Year >= thisYear)
        {
            throw ReportErrors.Precondition($"{request.Year} 年度尚未结束，年度结束后方可发布该年度报告");
        }

        var draft = await drafts.LoadAsync(county, request.Year, cancellationToken)
            ?? throw ReportErrors.Precondition($"{county} 的 {request.Year} 年度报告还没有草稿，请先生成草稿");
        if (!string.Equals(draft.DraftHash, request.DraftHash.Trim(), StringComparison.Ordinal))
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Aborted, "草稿在您查看之后已有变化，请重新查看草稿并核对后再发布"));
        }

        var latest = await published.LatestAsync(county, request.Year, cancellationToken);
        if (latest is not null && note.Length == 0)
        {
            errors.Add("correction_note", $"已发布第 {latest.Version} 版：发布更正版须填写更正说明");
            errors.ThrowIfAny();
        }

        var failures = await CheckAsync(draft, cancellationToken);
        if (failures.Count > 0)
        {
            throw Failed(failures);
        }

        if (latest is not null && ReportJson.Hash(ReportJson.Write(latest.Report)) == draft.DraftHash)
        {
            throw ReportErrors.Precondition($"草稿与已发布的第 {latest.Version} 版相同，无需发布更正版");
        }

        var now = time.GetUtcNow();
        int version;
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            version = await session.ExecuteScalarAsync<int>(NextVersionSql, new { CountyCode = county, request.Year });
            try
            {
                await session.ExecuteAsync(InsertSql, new
                {
                    CountyCode = county,
                    request.Year,
                    Version = version,
                    DocumentJson = draft.DocumentJson,
                    ContentHash = draft.DraftHash,
                    PublishedAt = now,
                    PublishedBy = clerk.RecordedName(),
                    CorrectionNote = note,
                });
                await session.CommitAsync(cancellationToken);
            }
            catch (System.Data.Common.DbException)
            {
                // The primary key (county, year, version): someone published the same version a moment earlier.
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.Aborted, "该年度报告刚被他人发布，请重新查看后再操作"));
            }
        }

        return await published.GetAsync(new GetPublishedReportRequest { CountyCode = county, Year = request.Year, Version = version }, cancellationToken);
    }

    /// <summary>Every check on the stored draft, as publishing runs them.</summary>
    public async Task<List<CheckFailure>> CheckAsync(ReportDrafts.DraftRow draft, CancellationToken cancellationToken)
    {
        var failures = new List<CheckFailure>();
        if (!string.Equals(ReportJson.Hash(draft.DocumentJson), draft.DraftHash, StringComparison.Ordinal))
        {
            failures.Add(new CheckFailure
            {
                Rule = ReportChecks.Integrity,
                Row = "草稿",
                Column = "内容哈希",
                Message = "完整性不符：存储的草稿内容与其哈希不一致，草稿在系统之外被改动过。",
            });
        }

        var report = ReportJson.Read<AnnualReport>(draft.DocumentJson);
        failures.AddRange(ReportChecks.Arithmetic(report));
        failures.AddRange(await published.CarryOverAsync(report, cancellationToken));
        failures.AddRange(ReportChecks.AgainstRecords(report, await generator.OwnedAsync(draft.CountyCode, draft.ReportYear, cancellationToken)));
        failures.AddRange(ReportChecks.Sources(report));
        failures.AddRange(ReportChecks.PersonalInformationIn(report));
        return failures;
    }

    /// <summary>FAILED_PRECONDITION listing every failed check, with google.rpc.PreconditionFailure details.</summary>
    public static RpcException Failed(IReadOnlyList<CheckFailure> failures)
    {
        var details = new PreconditionFailure();
        details.Violations.AddRange(failures.Select(f => new PreconditionFailure.Types.Violation
        {
            Type = f.Rule,
            Subject = f.Column.Length == 0 ? f.Row : $"{f.Row}／{f.Column}",
            Description = f.Message,
        }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = $"年度报告未通过校验，不能发布（{failures.Count} 项）：" + string.Join(" ", failures.Select(f => f.Message)),
            Details = { Any.Pack(details) },
        };
        return status.ToRpcException();
    }
}
