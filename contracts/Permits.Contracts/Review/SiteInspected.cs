namespace Permits.Contracts.Review;

/// <summary>实地核查记录: two different inspectors visited the premises.</summary>
public sealed record SiteInspected(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    DateOnly InspectedOn,
    string FirstInspectorId,
    string SecondInspectorId,
    string Findings,
    decimal MeasuredFloorArea,
    IReadOnlyList<MeasuredDistance> Distances,
    IReadOnlyList<string> PhotoReferences,
    bool PremisesCompliant,
    DateTimeOffset RecordedAt);

/// <param name="Meters">Measured walking distance in metres.</param>
public sealed record MeasuredDistance(string Target, decimal Meters);
