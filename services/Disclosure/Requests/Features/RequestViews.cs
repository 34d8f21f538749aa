using System.Globalization;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Requests;

/// <summary>
/// The request as its two audiences see it. The requester's view (opened by number and code, so possibly not by the
/// requester) carries no identifiers and no officers' ids, and its free texts pass the one de-identification policy; the
/// clerk's carries the requester's details (needed to reply) and who did each step.
/// </summary>
public static class RequestViews
{
    public static InformationRequestView ToView(
        RequestRow row, IReadOnlyList<StepRow> steps, IReadOnlyList<AppealRow> appeals, CountyDirectory counties, bool forClerk)
    {
        var category = row.CategoryValue;
        var view = new InformationRequestView
        {
            RequestNumber = row.RequestNumber,
            CountyCode = row.CountyCode,
            Authority = counties.TryGet(row.CountyCode, out var county) ? county.Authority : "",
            State = row.State,
            StateLabel = RequestTerms.Label(row.StateValue),
            Category = row.Category,
            CategoryLabel = RequestTerms.Label(category),
            RequesterDisplayName = category == ApplicantCategory.NaturalPerson ? PersonalData.MaskName(row.RequesterName) : row.RequesterName,
            Description = forClerk ? row.Description : PersonalData.Deidentify(row.Description),
            PreferredForm = row.PreferredForm,
            DeliveryMethod = row.DeliveryMethod,
            FiledAt = row.FiledAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            FiledOn = ChinaTime.Text(row.FiledOn),
            ClockStartedOn = ChinaTime.Text(row.ClockStartedOn),
            DueOn = ChinaTime.Text(row.DueOn),
            DueProvisional = row.DueProvisional != 0,
            ClockPaused = row.StateValue == RequestState.Consulting,
            RemainingWorkingDays = row.RemainingWorkingDays ?? 0,
            Extended = row.Extended != 0,
            CorrectionNoticeDueOn = ChinaTime.Text(row.CorrectionNoticeDueOn),
            CorrectionNotice = forClerk ? row.CorrectionNotice ?? "" : PersonalData.Deidentify(row.CorrectionNotice ?? ""),
            CorrectionRequestedOn = ChinaTime.Text(row.CorrectionRequestedOn),
            CorrectionDueOn = ChinaTime.Text(row.CorrectionDueOn),
            CorrectedOn = ChinaTime.Text(row.CorrectedOn),
            ConsultationStartedOn = ChinaTime.Text(row.ConsultationStartedOn),
            ConsultationDueOn = ChinaTime.Text(row.ConsultationDueOn),
            Outcome = row.Outcome ?? "",
            OutcomeLabel = row.Outcome is { } outcome ? RequestTerms.Label(Enum.Parse<RequestOutcome>(outcome)) : "",
            OutcomeReason = forClerk ? row.OutcomeReason ?? "" : PersonalData.Deidentify(row.OutcomeReason ?? ""),
            AnsweredOn = ChinaTime.Text(row.AnsweredOn),
            AnsweredLate = row.AnsweredLate != 0,
            Version = row.Version,
        };

        if (forClerk)
        {
            view.ExtensionApprovedBy = row.ExtensionApprovedBy ?? "";
            view.ThirdParty = row.ThirdParty ?? "";
            view.Requester = new InformationRequester
            {
                Category = row.Category,
                Name = row.RequesterName,
                IdNumber = row.IdNumber ?? "",
                CreditCode = row.CreditCode ?? "",
                ContactName = row.ContactName ?? "",
                Phone = row.Phone,
                Email = row.Email ?? "",
                Address = row.Address ?? "",
            };
        }

        view.Steps.AddRange(steps.Select(s => new InformationRequestStep
        {
            OccurredAt = s.OccurredAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            Action = s.Action,
            Label = RequestSteps.Label(s.Action),
            Detail = s.Detail,
            ActorId = forClerk ? s.ActorId : "",
            ActorName = forClerk ? s.ActorName : "",
        }));
        view.Appeals.AddRange(appeals.Select(a => new InformationAppeal
        {
            AppealId = a.Id.ToString("D"),
            Kind = a.Kind,
            KindLabel = RequestTerms.Label(Enum.Parse<AppealKind>(a.Kind)),
            FiledOn = ChinaTime.Text(a.FiledOn),
            Result = a.Result,
            ResultLabel = RequestTerms.Label(Enum.Parse<AppealResult>(a.Result)),
            ConcludedOn = ChinaTime.Text(a.ConcludedOn),
            Note = a.Note ?? "",
            RecordedBy = forClerk ? a.RecordedBy : "",
        }));
        return view;
    }
}
