using Dapper;
using Permits.Contracts.Intake.V1;
using DeliveryChoice = Permits.Contracts.DeliveryChoice;

namespace Permits.Intake.Features;

/// <summary>
/// A form <see cref="ApplicationFormValidator"/> accepted: every value parsed, as submission and resubmission store it.
/// </summary>
/// <param name="RequestType">The request-type code (Permits.Contracts.Licensing.RequestTypes).</param>
/// <param name="Kept">The form as it is kept (form_json): as posted, less the fields its form does not ask for.</param>
public sealed record ValidForm(
    string ClientRequestId, string CountyCode, string RequestType, string HolderType, string BusinessName,
    string? CreditCode, string ResponsiblePerson, string IdNumber, string PremisesAddress, decimal FloorArea,
    string PremisesTenure, DateOnly? LeaseEndDate, string ContactPhone, DeliveryChoice Delivery,
    string? LicenceNumber, DateOnly? LicenceValidTo, DateOnly? SuspendFrom, DateOnly? SuspendUntil,
    IReadOnlyList<string> ChangeItems, SubmitApplicationRequest Kept)
{
    /// <summary>A request on a licence: how Certificate matched the applicant to its holder (CreditCode or IdNumber).</summary>
    public string? HolderMatch { get; init; }

    /// <summary>变更: the day the change took effect.</summary>
    public DateOnly? ChangedOn { get; init; }

    /// <summary>The applicant agreed to electronic service (电子送达) of formal documents.</summary>
    public bool ElectronicServiceConsent { get; init; }

    /// <summary>The applications columns the applicant's form fills, as parameters (submit and resubmit alike).</summary>
    public DynamicParameters Columns()
    {
        var columns = new DynamicParameters();
        columns.AddDynamicParams(new
        {
            HolderType,
            BusinessName,
            CreditCode,
            ResponsiblePerson,
            IdNumber,
            PremisesAddress,
            FloorArea,
            PremisesTenure,
            LeaseEndDate,
            ContactPhone,
            DeliveryMethod = Delivery.Method.ToString(),
            Delivery.RecipientName,
            Delivery.RecipientPhone,
            DeliveryAddress = Delivery.Address,
            FormJson = FormJson.Write(Kept),
        });
        return columns;
    }
}
