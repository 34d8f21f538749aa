namespace Permits.Disclosure.Requests;

/// Columns of section 三 (申请人情况).
public enum ApplicantCategory { NaturalPerson, CommercialEnterprise, ResearchInstitution, SocialWelfareOrganisation, LegalServiceInstitution, Other }

/// Rows of 三、本年度办理结果, in template order.
public enum RequestOutcome
{
    Disclosed, PartlyDisclosed,
    WithheldStateSecret, WithheldProhibitedByLaw, WithheldEndangersSafety, WithheldThirdPartyRights, WithheldInternalAffairs, WithheldProcessInformation, WithheldEnforcementFile, WithheldAdministrativeQuery,
    UnavailableNotHeld, UnavailableNeedsCreation, UnavailableStillUnclear,
    NotProcessedPetition, NotProcessedRepeated, NotProcessedPublication, NotProcessedExcessive, NotProcessedConfirmation,
    OtherOverdueCorrection, OtherOverdueFee, OtherOther,
}

/// Counts per column; missing keys are 0.
public sealed record CategoryCounts(IReadOnlyDictionary<ApplicantCategory, int> Counts)
{
    public int this[ApplicantCategory c] => Counts.TryGetValue(c, out var n) ? n : 0;

    public int Total => Counts.Values.Sum();

    public static CategoryCounts Zero { get; } = new(new Dictionary<ApplicantCategory, int>());
}

public sealed record RequestYearFigures(
    CategoryCounts NewlyReceived,
    CategoryCounts CarriedOverFromLastYear,
    IReadOnlyDictionary<RequestOutcome, CategoryCounts> Outcomes,
    CategoryCounts CarriedForwardToNextYear);

public sealed record AppealCounts(int Upheld, int Corrected, int Other, int Pending)
{
    public int Total => Upheld + Corrected + Other + Pending;
}

/// Section 四: 行政复议; 行政诉讼 未经复议直接起诉; 行政诉讼 复议后起诉.
public sealed record AppealFigures(AppealCounts Reconsideration, AppealCounts LitigationDirect, AppealCounts LitigationAfterReconsideration);

/// A bureau is a county (six-digit code). Figures for the calendar year in China time.
public interface IRequestYearFigures
{
    Task<RequestYearFigures> ForYearAsync(string countyCode, int year, CancellationToken ct);

    Task<AppealFigures> AppealsForYearAsync(string countyCode, int year, CancellationToken ct);
}
