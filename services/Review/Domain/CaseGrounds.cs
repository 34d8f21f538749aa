using System.Text.Json;
using Permits.Contracts.Review.V1;

namespace Permits.Review.Domain;

/// <summary>
/// The grounds a refusal cited, as stored on the case (review_cases.decision_grounds, JSON): the wording and basis of
/// the day, so a later change to the list does not rewrite a decision already made.
/// </summary>
public static class CaseGrounds
{
    public static string? Serialize(IReadOnlyList<LegalGround> grounds) =>
        grounds.Count == 0 ? null : JsonSerializer.Serialize(grounds);

    public static IReadOnlyList<LegalGround> Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<List<LegalGround>>(stored) ?? [];

    public static RefusalGroundOption ToMessage(LegalGround ground) =>
        new() { Code = ground.Code, Text = ground.Text, Basis = ground.Basis };
}
