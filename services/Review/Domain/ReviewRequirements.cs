using Grpc.Core;
using Permits.Contracts.Licensing;

namespace Permits.Review.Domain;

/// <summary>
/// Which recorded steps a decision (审批, approve or deny on the merits) needs, per request type. A new licence
/// (新办) needs the site inspection (实地核查, two officers) and the review opinion (审核); every other type needs the
/// opinion only. 变更 is kept to the opinion: the case does not say whether the premises changed (a change of name or
/// responsible person needs no visit), so an inspection for a moved shop is the reviewer's call until Intake carries
/// what changed. Unknown types need both (the safe side).
/// </summary>
public static class ReviewRequirements
{
    public sealed record Requirement(bool Inspection, bool Opinion);

    private static readonly Requirement Both = new(Inspection: true, Opinion: true);
    private static readonly Requirement OpinionOnly = new(Inspection: false, Opinion: true);

    /// <summary>The rule per request type (Intake's names: New, Change, Renewal, Suspend, Resume, Close, Reissue, Cancel).</summary>
    public static readonly IReadOnlyDictionary<string, Requirement> ByRequestType = new Dictionary<string, Requirement>(StringComparer.Ordinal)
    {
        [RequestTypes.New] = Both,
        [RequestTypes.Change] = OpinionOnly,
        [RequestTypes.Renewal] = OpinionOnly,
        [RequestTypes.Suspend] = OpinionOnly,
        [RequestTypes.Resume] = OpinionOnly,
        [RequestTypes.Close] = OpinionOnly,
        [RequestTypes.Reissue] = OpinionOnly,
        [RequestTypes.Cancel] = OpinionOnly,
    };

    public static Requirement For(string requestType) => ByRequestType.GetValueOrDefault(requestType, Both);

    /// <summary>What the case still lacks before a decision, in Chinese; empty when it may be decided.</summary>
    public static IReadOnlyList<string> Missing(CaseRow row)
    {
        var requirement = For(row.RequestType);
        var missing = new List<string>();
        if (requirement.Inspection && string.IsNullOrEmpty(row.InspectionDocument))
        {
            missing.Add("实地核查记录");
        }

        if (requirement.Opinion && string.IsNullOrEmpty(row.OpinionDocument))
        {
            missing.Add("审核意见");
        }

        return missing;
    }

    /// <summary>Fails with FAILED_PRECONDITION naming every missing step when the case may not be decided yet.</summary>
    public static void EnsureReadyForDecision(CaseRow row, string decision)
    {
        var missing = Missing(row);
        if (missing.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"尚缺{string.Join("、", missing)}，不能{decision}"));
        }
    }
}
