using ProtoRequestType = Permits.Contracts.Intake.V1.RequestType;

namespace Permits.Contracts.Licensing;

/// <summary>
/// One request type of 《烟草专卖许可证管理办法》: the code every service stores and sends, the word people read, and the
/// matter (事项) under which the public register lists it.
/// </summary>
/// <param name="Code">As stored and carried in events: New, Change, Renewal, …</param>
/// <param name="Label">新办, 变更, 延续, …</param>
/// <param name="Matter">The disclosed matter: 烟草专卖零售许可证核发, …变更, …</param>
/// <param name="Proto">The gRPC enum value of the same type.</param>
/// <param name="OnLicence">Whether the request concerns a licence already issued (every type but 新办).</param>
public sealed record RequestTypeInfo(string Code, string Label, string Matter, ProtoRequestType Proto, bool OnLicence);

/// <summary>
/// The catalogue of request types: the one place their codes, Chinese labels and disclosed matters are written. Codes
/// travel as these constants, never as literals.
/// </summary>
public static class RequestTypes
{
    public const string New = "New";
    public const string Change = "Change";
    public const string Renewal = "Renewal";
    public const string Suspend = "Suspend";
    public const string Resume = "Resume";
    public const string Close = "Close";
    public const string Reissue = "Reissue";
    public const string Cancel = "Cancel";

    private const string Licence = "烟草专卖零售许可证";

    /// <summary>In the order the law lists them (and forms offer them).</summary>
    public static readonly IReadOnlyList<RequestTypeInfo> All =
    [
        new(New, "新办", Licence + "核发", ProtoRequestType.New, false),
        new(Change, "变更", Licence + "变更", ProtoRequestType.Change, true),
        new(Renewal, "延续", Licence + "延续", ProtoRequestType.Renewal, true),
        new(Suspend, "停业", Licence + "停业", ProtoRequestType.Suspend, true),
        new(Resume, "恢复营业", Licence + "恢复营业", ProtoRequestType.Resume, true),
        new(Close, "歇业", Licence + "歇业", ProtoRequestType.Close, true),
        new(Reissue, "补办", Licence + "补办", ProtoRequestType.Reissue, true),
        new(Cancel, "注销", Licence + "注销", ProtoRequestType.Cancel, true),
    ];

    private static readonly Dictionary<string, RequestTypeInfo> ByCode = All.ToDictionary(t => t.Code, StringComparer.Ordinal);

    private static readonly Dictionary<ProtoRequestType, RequestTypeInfo> ByProto = All.ToDictionary(t => t.Proto);

    /// <summary>The matter of a new licence, and of anything not a known request type.</summary>
    public static string DefaultMatter => All[0].Matter;

    public static bool TryGet(string? code, out RequestTypeInfo info) => ByCode.TryGetValue(code ?? "", out info!);

    public static RequestTypeInfo Get(string code) => ByCode.TryGetValue(code, out var info)
        ? info
        : throw new ArgumentOutOfRangeException(nameof(code), code, "Not a request type.");

    public static bool TryGet(ProtoRequestType proto, out RequestTypeInfo info) => ByProto.TryGetValue(proto, out info!);

    /// <summary>The code of a gRPC enum value (REQUEST_TYPE_CHANGE → Change); throws for UNSPECIFIED or an unknown value.</summary>
    public static string Code(ProtoRequestType proto) => ByProto.TryGetValue(proto, out var info)
        ? info.Code
        : throw new ArgumentOutOfRangeException(nameof(proto), proto, "Not a request type.");

    /// <summary>The gRPC enum value of a code; UNSPECIFIED for an unknown code.</summary>
    public static ProtoRequestType Proto(string? code) => TryGet(code, out var info) ? info.Proto : ProtoRequestType.Unspecified;

    /// <summary>新办, 变更, …; an unknown code is shown as it is.</summary>
    public static string Label(string? code) => TryGet(code, out var info) ? info.Label : code ?? "";

    /// <summary>The disclosed matter; 核发 for a new licence and for an unknown code.</summary>
    public static string Matter(string? code) => TryGet(code, out var info) ? info.Matter : DefaultMatter;
}
