using System.Data.Common;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// What a county sets for its review (stored as one document, kind <see cref="CountyReviewSettings.Kind"/>): its 合理布局
/// distances and quotas and its 承诺时限 in working days (0: no promise shorter than the law).
/// </summary>
public sealed record ReviewCountySettings(
    double MinDistanceToOutletMeters,
    double MinDistanceToSchoolMeters,
    double QuotaRadiusMeters,
    int QuotaMaxOutlets,
    double GridCellMeters,
    int QuotaPerCellPerQuarter,
    int PromisedDecisionDays);

/// <summary>
/// A county's review settings as in force: its stored ones (<see cref="CountySettings{TService}"/>, read on every use so
/// a change counts on the next request in every replica), else the deployment's files (layout.json, counties.json).
/// The schools stay in layout.json.
/// </summary>
public sealed class CountyReviewSettings(LayoutRules rules, CountyDirectory counties)
{
    public const string Kind = "review";

    public async Task<ReviewCountySettings> EffectiveAsync(DbConnection connection, DbTransaction? transaction, string county) =>
        (await CountySettings<ReviewModule>.ReadAsync<ReviewCountySettings>(connection, transaction, Kind, county))?.Value ?? Defaults(county);

    /// <summary>The layout rules of a county in force; null when it has neither stored rules nor a file entry.</summary>
    public async Task<CountyLayout?> LayoutAsync(DbConnection connection, DbTransaction? transaction, string county)
    {
        var file = rules.For(county);
        var stored = await CountySettings<ReviewModule>.ReadAsync<ReviewCountySettings>(connection, transaction, Kind, county);
        if (stored is null)
        {
            return file;
        }

        var s = stored.Value;
        return new CountyLayout(county, s.MinDistanceToOutletMeters, s.MinDistanceToSchoolMeters, s.QuotaRadiusMeters, s.QuotaMaxOutlets,
            s.GridCellMeters, s.QuotaPerCellPerQuarter, file?.Schools ?? []);
    }

    /// <summary>The county with its 承诺时限 in force (the rest of its entry is counties.json's).</summary>
    public static async Task<County> CountyAsync(DbConnection connection, DbTransaction? transaction, County county) =>
        await CountySettings<ReviewModule>.ReadAsync<ReviewCountySettings>(connection, transaction, Kind, county.Code) is { } stored
            ? county with { PromisedDecisionDays = stored.Value.PromisedDecisionDays > 0 ? stored.Value.PromisedDecisionDays : null }
            : county;

    /// <summary>
    /// What the files say, for a county that never changed its settings; for a county layout.json does not know, the
    /// common rules to start from (its layout check says the rules are unknown until its administrator saves them).
    /// </summary>
    public ReviewCountySettings Defaults(string county)
    {
        var layout = rules.For(county) ?? new CountyLayout(county, 30, 50, 300, 6, 500, 3, []);
        return new ReviewCountySettings(
            layout.MinDistanceToOutletMeters, layout.MinDistanceToSchoolMeters, layout.QuotaRadiusMeters, layout.QuotaMaxOutlets,
            layout.GridCellMeters, layout.QuotaPerCellPerQuarter,
            counties.TryGet(county, out var entry) ? entry.PromisedDecisionDays ?? 0 : 0);
    }
}

/// <summary>
/// The 系统管理员's page on Review's settings: reads them with their trail, changes them in one audited step
/// (<see cref="ReviewSteps.ChangeSettings"/>). Bad values are each named and change nothing; the promise may never
/// exceed the legal decision limit, which stays law (<see cref="ClockLimits.DecisionDays"/>).
/// </summary>
public sealed class ReviewSettingsAdmin(
    CountySettings<ReviewModule> settings, CountyReviewSettings review, CountyDirectory counties, LegalClock clock, TimeProvider time,
    ServiceDatabase<ReviewModule> database)
{
    public async Task<ReviewSettings> GetAsync(GetReviewSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var target = await settings.TargetAsync(officer, ReviewSteps.ChangeSettings, CountyReviewSettings.Kind, request.CountyCode, new FieldErrors(), cancellationToken);
        await settings.EnsureMayViewAsync(officer, ReviewSteps.ChangeSettings, target);
        var code = CountySettings<ReviewModule>.CountyOf(target);
        var stored = await settings.ReadAsync<ReviewCountySettings>(CountyReviewSettings.Kind, code, cancellationToken);
        return await ReplyAsync(code, stored?.Value ?? review.Defaults(code), stored, target, cancellationToken);
    }

    public async Task<ReviewSettings> UpdateAsync(UpdateReviewSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var s = request.Settings ?? new ReviewSettings();
        var errors = new FieldErrors();
        var legal = clock.Limits.DecisionDays;
        Between(errors, "settings.min_distance_to_outlet_meters", s.MinDistanceToOutletMeters, 0, 2000, "与已持证零售户的最小间距须在 0 至 2000 米之间");
        Between(errors, "settings.min_distance_to_school_meters", s.MinDistanceToSchoolMeters, 1, 2000,
            "与学校、幼儿园的最小间距须在 1 至 2000 米之间（未成年人保护法第五十九条：学校、幼儿园周边不得设置烟草销售网点）");
        Between(errors, "settings.quota_radius_meters", s.QuotaRadiusMeters, 50, 5000, "统计零售户数量的范围须在 50 至 5000 米之间");
        Between(errors, "settings.quota_max_outlets", s.QuotaMaxOutlets, 1, 1000, "范围内零售户上限须在 1 至 1000 家之间");
        Between(errors, "settings.grid_cell_meters", s.GridCellMeters, 100, 10000, "网格边长须在 100 至 10000 米之间");
        Between(errors, "settings.quota_per_cell_per_quarter", s.QuotaPerCellPerQuarter, 0, 1000, "每个网格每季度新办名额须在 0 至 1000 个之间");
        if (s.PromisedDecisionDays < 0)
        {
            errors.Add("settings.promised_decision_days", "承诺办结时限不能为负数（不另行承诺请填 0）");
        }
        else if (s.PromisedDecisionDays > legal)
        {
            errors.Add("settings.promised_decision_days", $"承诺办结时限不得超过法定审批期限 {legal} 个工作日");
        }

        if (s.Version < 0)
        {
            errors.Add("settings.version", "版本号无效，请刷新后重试");
        }

        var target = await settings.TargetAsync(officer, ReviewSteps.ChangeSettings, CountyReviewSettings.Kind, s.CountyCode, errors, cancellationToken);
        var wanted = new ReviewCountySettings(
            s.MinDistanceToOutletMeters, s.MinDistanceToSchoolMeters, s.QuotaRadiusMeters, s.QuotaMaxOutlets, s.GridCellMeters,
            s.QuotaPerCellPerQuarter, s.PromisedDecisionDays);
        var stored = await settings.ChangeAsync(officer, ReviewSteps.ChangeSettings, target, CountyReviewSettings.Kind, s.Version, time,
            async (session, county) =>
            {
                var old = await review.EffectiveAsync(session.Connection, session.Transaction, county);
                return (wanted, CountySettings<ReviewModule>.Changes(
                    ("与零售户最小间距（米）", old.MinDistanceToOutletMeters, wanted.MinDistanceToOutletMeters),
                    ("与学校、幼儿园最小间距（米）", old.MinDistanceToSchoolMeters, wanted.MinDistanceToSchoolMeters),
                    ("零售户数量统计范围（米）", old.QuotaRadiusMeters, wanted.QuotaRadiusMeters),
                    ("范围内零售户上限（家）", old.QuotaMaxOutlets, wanted.QuotaMaxOutlets),
                    ("网格边长（米）", old.GridCellMeters, wanted.GridCellMeters),
                    ("网格每季度新办名额（个）", old.QuotaPerCellPerQuarter, wanted.QuotaPerCellPerQuarter),
                    ("承诺办结时限（工作日）", old.PromisedDecisionDays, wanted.PromisedDecisionDays)));
            }, cancellationToken);
        var code = CountySettings<ReviewModule>.CountyOf(target);
        return await ReplyAsync(code, stored.Value, stored.Version > 0 ? stored : null, target, cancellationToken);
    }

    /// <summary>
    /// The county's decision limits in force, for anyone: the legal limit and the promise the clock counts
    /// (<see cref="LegalClock.PromisedDays"/>: only one shorter than the law), the same for every request type today.
    /// </summary>
    public async Task<PromisedLimits> PromisedLimitsAsync(GetPromisedLimitsRequest request, CancellationToken cancellationToken)
    {
        if (!counties.TryGet(request.CountyCode.Trim(), out var county))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该县（市、区）"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var promised = clock.PromisedDays(await CountyReviewSettings.CountyAsync(connection, null, county)) ?? 0;
        var reply = new PromisedLimits { CountyCode = county.Code };
        reply.Limits.AddRange(RequestTypes.All.Select(t => new PromisedLimit
        {
            RequestType = t.Code, LegalDecisionDays = clock.Limits.DecisionDays, PromisedDecisionDays = promised,
        }));
        return reply;
    }

    private async Task<ReviewSettings> ReplyAsync(
        string county, ReviewCountySettings value, StoredSettings<ReviewCountySettings>? stored, StepTarget<string> target, CancellationToken cancellationToken)
    {
        var reply = new ReviewSettings
        {
            CountyCode = county,
            CountyName = counties.TryGet(county, out var entry) ? entry.Name : county,
            MinDistanceToOutletMeters = value.MinDistanceToOutletMeters,
            MinDistanceToSchoolMeters = value.MinDistanceToSchoolMeters,
            QuotaRadiusMeters = value.QuotaRadiusMeters,
            QuotaMaxOutlets = value.QuotaMaxOutlets,
            GridCellMeters = value.GridCellMeters,
            QuotaPerCellPerQuarter = value.QuotaPerCellPerQuarter,
            PromisedDecisionDays = value.PromisedDecisionDays,
            LegalDecisionDays = clock.Limits.DecisionDays,
            Version = stored?.Version ?? 0,
            UpdatedBy = stored?.UpdatedBy ?? "",
        };
        if (stored?.UpdatedAt is { } at)
        {
            reply.UpdatedAt = Timestamp.FromDateTimeOffset(at);
        }

        reply.Trail.AddRange(await settings.TrailAsync(target, cancellationToken));
        return reply;
    }

    private static void Between(FieldErrors errors, string field, double value, double min, double max, string message)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add(field, message);
        }
    }
}
