using System.Text.Json;

namespace Permits.Shared.Domain;

/// <summary>A county-level tobacco monopoly bureau: the licensing authority for its county.</summary>
/// <param name="Code">6-digit administrative division code; the first 6 digits of every licence number it issues.</param>
/// <param name="DocumentPrefix">Prefix of its document numbers (文书号), e.g. 海烟专.</param>
/// <param name="PromisedDecisionDays">
/// 承诺时限: the working days from acceptance within which the county's service guide promises a decision — shorter
/// than the legal 20, shown beside it and reported apart when broken; null when the county promises nothing shorter.
/// </param>
/// <param name="RatingFollowUpDays">
/// 好差评: the working days from a 差评 within which the county head must contact the rater and record the rectification;
/// null for the default of 5.
/// </param>
/// <param name="ServiceHallHours">
/// The service hall's opening hours and phone as the deployment starts (with <see cref="ServiceHallAddress"/>): the
/// hall until the county's 系统管理员 sets its own in Delivery, which then tells the others (HallSettingsChanged).
/// </param>
public sealed record County(
    string Code,
    string Name,
    string ProvinceCode,
    string Authority,
    string AuthorityCreditCode,
    string DocumentPrefix,
    string ServiceHallAddress,
    int? PromisedDecisionDays = null,
    int? RatingFollowUpDays = null,
    string ServiceHallHours = "",
    string ServiceHallPhone = "");

/// <summary>The counties this deployment serves. Configuration data (counties.json), not code.</summary>
public sealed class CountyDirectory(IEnumerable<County> counties)
{
    private readonly Dictionary<string, County> _byCode = counties.ToDictionary(c => c.Code);

    public IReadOnlyCollection<County> All => _byCode.Values;

    public bool TryGet(string code, out County county) => _byCode.TryGetValue(code, out county!);

    public County Get(string code) =>
        _byCode.TryGetValue(code, out var county) ? county : throw new KeyNotFoundException($"Unknown county {code}.");

    public static CountyDirectory LoadEmbedded()
    {
        using var stream = typeof(CountyDirectory).Assembly.GetManifestResourceStream("counties.json")
            ?? throw new InvalidOperationException("The county directory resource is missing.");
        var counties = JsonSerializer.Deserialize<List<County>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? [];
        return new CountyDirectory(counties);
    }
}
