namespace Permits.Contracts.Documents;

/// <summary>
/// One kind of formal document of the 2024 national form set (DOMAIN.md "Document set").
/// </summary>
/// <param name="Code">As stored and carried in events: Correction, Acceptance, …</param>
/// <param name="Title">The document's title as printed: 补正材料告知书, …</param>
/// <param name="IsDecision">
/// A decision the law requires to be served (送达) within 10 working days of its date: 不予受理决定书, 准予行政许可决定书,
/// 不予行政许可决定书. Their service clock starts at the decision and stops when service is recorded.
/// </param>
public sealed record OfficialDocumentKind(string Code, string Title, bool IsDecision);

/// <summary>The catalogue of formal documents: the one place their codes and printed titles are written.</summary>
public static class OfficialDocuments
{
    public const string Correction = "Correction";
    public const string Acceptance = "Acceptance";
    public const string NotAccepted = "NotAccepted";
    public const string Inspection = "Inspection";
    public const string Opinion = "Opinion";
    public const string Approval = "Approval";
    public const string Denial = "Denial";
    public const string Extension = "Extension";
    public const string HearingNotice = "HearingNotice";
    public const string ServiceReceipt = "ServiceReceipt";

    /// <summary>In the order a case produces them.</summary>
    public static readonly IReadOnlyList<OfficialDocumentKind> All =
    [
        new(Correction, "补正材料告知书", false),
        new(Acceptance, "受理通知书", false),
        new(NotAccepted, "不予受理决定书", true),
        new(Inspection, "实地核查记录", false),
        new(Opinion, "审核意见", false),
        new(Extension, "延长审批期限告知书", false),
        new(HearingNotice, "听证权利告知书", false),
        new(Approval, "准予行政许可决定书", true),
        new(Denial, "不予行政许可决定书", true),
        new(ServiceReceipt, "送达回证", false),
    ];

    private static readonly Dictionary<string, OfficialDocumentKind> ByCode =
        All.ToDictionary(k => k.Code, StringComparer.Ordinal);

    public static bool TryGet(string? code, out OfficialDocumentKind kind) => ByCode.TryGetValue(code ?? "", out kind!);

    public static OfficialDocumentKind Get(string code) => ByCode.TryGetValue(code, out var kind)
        ? kind
        : throw new ArgumentOutOfRangeException(nameof(code), code, "Not an official document kind.");
}
