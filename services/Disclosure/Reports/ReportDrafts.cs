using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The clerk's draft of a bureau's report: the entries they made (rows the system does not own, with sources, and the
/// texts) and the report generated from them and the records. Every read regenerates the report from the records and
/// stores that snapshot with its hash: publishing takes exactly the stored snapshot the clerk last saw.
/// </summary>
public sealed class ReportDrafts(
    ServiceDatabase<DisclosureModule> database,
    ReportGenerator generator,
    PublishedReports published,
    CountyDirectory counties,
    TimeProvider time)
{
    public const int MaxTextLength = 20_000;
    public const int MaxSourceLength = 200;

    private const string SelectSql = """
        SELECT county_code AS CountyCode, report_year AS ReportYear, entries_json AS EntriesJson,
               document_json AS DocumentJson, draft_hash AS DraftHash, saved_at AS SavedAt, saved_by AS SavedBy
        FROM annual_report_drafts WHERE county_code = @CountyCode AND report_year = @Year
        """;

    private const string UpdateSql = """
        UPDATE annual_report_drafts
        SET entries_json = @EntriesJson, document_json = @DocumentJson, draft_hash = @DraftHash, saved_at = @SavedAt,
            saved_by = @SavedBy
        WHERE county_code = @CountyCode AND report_year = @Year
        """;

    private const string InsertSql = """
        INSERT INTO annual_report_drafts (county_code, report_year, entries_json, document_json, draft_hash, saved_at, saved_by)
        VALUES (@CountyCode, @Year, @EntriesJson, @DocumentJson, @DraftHash, @SavedAt, @SavedBy)
        """;

    public async Task<Draft> GetAsync(GetDraftRequest request, Officer clerk, CancellationToken cancellationToken)
    {
        Validate(request.CountyCode, request.Year, null);
        var stored = await LoadAsync(request.CountyCode.Trim(), request.Year, cancellationToken);
        var entries = stored is null
            ? new SaveDraftRequest { CountyCode = request.CountyCode.Trim(), Year = request.Year }
            : ReportJson.Read<SaveDraftRequest>(stored.EntriesJson);
        return await StoreAsync(entries, stored?.SavedBy ?? clerk.RecordedName(), cancellationToken);
    }

    public async Task<Draft> SaveAsync(SaveDraftRequest request, Officer clerk, CancellationToken cancellationToken)
    {
        Validate(request.CountyCode, request.Year, request);
        var entries = request.Clone();
        entries.CountyCode = entries.CountyCode.Trim();
        if (entries.Active?.Licensing is { } licensing)
        {
            licensing.Decisions = 0; // counted from the log, never entered
        }

        return await StoreAsync(entries, clerk.RecordedName(), cancellationToken);
    }

    /// <summary>The stored draft (null when none), as it is in the database.</summary>
    public async Task<DraftRow?> LoadAsync(string countyCode, int year, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DraftRow>(new CommandDefinition(
            SelectSql, new { CountyCode = countyCode, Year = year }, cancellationToken: cancellationToken));
    }

    private async Task<Draft> StoreAsync(SaveDraftRequest entries, string savedBy, CancellationToken cancellationToken)
    {
        var report = await generator.GenerateAsync(entries, cancellationToken);
        var document = ReportJson.Write(report);
        var hash = ReportJson.Hash(document);
        var now = time.GetUtcNow();
        var parameters = new
        {
            CountyCode = entries.CountyCode,
            entries.Year,
            EntriesJson = ReportJson.Write(entries),
            DocumentJson = document,
            DraftHash = hash,
            SavedAt = now,
            SavedBy = savedBy,
        };
        try
        {
            await UpsertAsync(parameters, cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Another read stored the first snapshot at the same moment (primary key): the row exists now; update it.
            await UpsertAsync(parameters, cancellationToken);
        }

        var latest = await published.LatestAsync(entries.CountyCode, entries.Year, cancellationToken);
        var checks = ReportChecks.Arithmetic(report);
        checks.AddRange(await published.CarryOverAsync(report, cancellationToken));
        checks.AddRange(ReportChecks.Sources(report));
        checks.AddRange(ReportChecks.PersonalInformationIn(report));
        var draft = new Draft
        {
            Report = report,
            Checks = new CheckResults { Passed = checks.Count == 0 },
            DraftHash = hash,
            SuggestedOverview = DraftTexts.Overview(report),
            SuggestedProblems = DraftTexts.Problems(report),
            SuggestedOtherMatters = DraftTexts.OtherMatters(report),
            PublishedVersion = latest?.Version ?? 0,
            SavedAt = Timestamp.FromDateTimeOffset(now),
            SavedBy = savedBy,
        };
        draft.Checks.Failures.AddRange(checks);
        return draft;
    }

    private async Task UpsertAsync(object parameters, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.ExecuteAsync(UpdateSql, parameters) == 0)
        {
            await session.ExecuteAsync(InsertSql, parameters);
        }

        await session.CommitAsync(cancellationToken);
    }

    private void Validate(string countyCode, int year, SaveDraftRequest? entries)
    {
        var errors = new FieldErrors();
        if (!counties.TryGet(countyCode.Trim(), out _))
        {
            errors.Add("county_code", "县级区划代码不在本系统服务范围内");
        }

        var thisYear = ChinaTime.DateOf(time.GetUtcNow()).Year;
        if (year < 2008 || year > thisYear)
        {
            errors.Add("year", $"年度须在 2008–{thisYear} 之间（《政府信息公开条例》自 2008 年起施行）");
        }

        if (entries is not null)
        {
            CheckEntries(entries, errors);
        }

        errors.ThrowIfAny();
    }

    private static void CheckEntries(SaveDraftRequest entries, FieldErrors errors)
    {
        foreach (var (field, text) in new[] { ("overview", entries.Overview), ("problems", entries.Problems), ("other_matters", entries.OtherMatters) })
        {
            if (text.Length > MaxTextLength)
            {
                errors.Add(field, $"不超过 {MaxTextLength} 个字符");
            }
        }

        var active = entries.Active ?? new ActiveDisclosure();

        void Count(string field, long value, string label)
        {
            if (value is < 0 or > 10_000_000)
            {
                errors.Add(field, $"{label}须为 0–10000000 之间的整数");
            }
        }

        void Source(string field, string source)
        {
            if (source.Length > MaxSourceLength)
            {
                errors.Add(field, $"来源说明不超过 {MaxSourceLength} 个字符");
            }
        }

        foreach (var (name, row) in new[] { ("rules", active.Rules), ("normative_documents", active.NormativeDocuments) })
        {
            var r = row ?? new DocumentRow();
            Count($"active.{name}.newly_made", r.NewlyMade, "本年新制作数量");
            Count($"active.{name}.newly_published", r.NewlyPublished, "本年新公开数量");
            Count($"active.{name}.total_published", r.TotalPublished, "对外公开总数量");
            Source($"active.{name}.source", r.Source);
        }

        foreach (var (name, row) in new[]
                 {
                     ("licensing", active.Licensing), ("other_services", active.OtherServices),
                     ("penalties", active.Penalties), ("enforcement", active.Enforcement),
                 })
        {
            var r = row ?? new ItemRow();
            Count($"active.{name}.previous_year_items", r.PreviousYearItems, "上一年项目数量");
            Count($"active.{name}.previous_year_items", (long)r.PreviousYearItems + r.ChangeThisYear, "上一年项目数量加本年增/减");
            if (name != "licensing")
            {
                Count($"active.{name}.decisions", r.Decisions, "处理决定数量");
            }

            Source($"active.{name}.source", r.Source);
        }

        var fees = active.Fees ?? new FeeRow();
        Count("active.fees.previous_year_items", fees.PreviousYearItems, "上一年项目数量");
        Count("active.fees.previous_year_items", (long)fees.PreviousYearItems + fees.ChangeThisYear, "上一年项目数量加本年增/减");
        Source("active.fees.source", fees.Source);
        var procurement = active.Procurement ?? new ProcurementRow();
        Count("active.procurement.items", procurement.Items, "采购项目数量");
        if (!ReportChecks.TryAmount(procurement.TotalAmount, out _))
        {
            errors.Add("active.procurement.total_amount", "采购总金额应为不小于 0 的金额（万元，最多 4 位小数）");
        }

        Source("active.procurement.source", procurement.Source);
    }

    public sealed class DraftRow
    {
        public string CountyCode { get; init; } = "";
        public int ReportYear { get; init; }
        public string EntriesJson { get; init; } = "";
        public string DocumentJson { get; init; } = "";
        public string DraftHash { get; init; } = "";
        public DateTimeOffset SavedAt { get; init; }
        public string SavedBy { get; init; } = "";
    }
}

/// <summary>Thrown as FAILED_PRECONDITION by callers when there is nothing to act on.</summary>
public static class ReportErrors
{
    public static RpcException Precondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));
}
