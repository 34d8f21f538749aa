using Permits.Shared.Domain;

namespace Permits.Disclosure.Requests;

/// <summary>The statutory periods of 政府信息公开条例 (2019), in working days; law, not settings.</summary>
public sealed record RequestLimits(
    int CorrectionNoticeDays = 7,
    int AnswerDays = 20,
    int ExtensionDays = 20,
    int ConsultationDays = 15,
    int DefaultCorrectionDays = 15,
    int MaxCorrectionDays = 30);

/// <summary>
/// The legal clock of a request, as pure functions over days in China time. Working days come from the holiday
/// calendar (make-up days included); the trigger day never counts; a period that crosses an unpublished year is
/// provisional.
/// <list type="bullet">
/// <item>补正 (Art. 30): the notice within 7 working days of receipt; the answer period counts from the receipt of
/// the corrected request, afresh.</item>
/// <item>答复 (Art. 33): 20 working days, +20 once with the head's approval.</item>
/// <item>第三方 (Art. 32–33): the consultation does not count; the third party has 15 working days, and time after
/// that counts again, so a forgotten consultation cannot stop the clock for ever.</item>
/// </list>
/// </summary>
public sealed class RequestClock(WorkingDayCalendar calendar, RequestLimits limits)
{
    public RequestLimits Limits => limits;

    public Deadline CorrectionNoticeDue(DateOnly received) => calendar.AddWorkingDays(received, limits.CorrectionNoticeDays);

    public Deadline AnswerDue(DateOnly clockStartedOn) => calendar.AddWorkingDays(clockStartedOn, limits.AnswerDays);

    public Deadline CorrectionDue(DateOnly noticeOn, int workingDays) => calendar.AddWorkingDays(noticeOn, workingDays);

    public Deadline ConsultationDue(DateOnly startedOn) => calendar.AddWorkingDays(startedOn, limits.ConsultationDays);

    /// <summary>The due date moved on by the extension (when the clock runs).</summary>
    public Deadline Extend(DateOnly dueOn) => calendar.AddWorkingDays(dueOn, limits.ExtensionDays);

    /// <summary>The answer due after a consultation: the days left when it began, counted from its end or its deadline.</summary>
    public Deadline Resume(DateOnly endedOn, DateOnly consultationDueOn, int remainingWorkingDays)
    {
        var from = endedOn < consultationDueOn ? endedOn : consultationDueOn;
        return calendar.AddWorkingDays(from, remainingWorkingDays);
    }

    /// <summary>Working days after <paramref name="today"/> up to and including <paramref name="dueOn"/> (0 once past).</summary>
    public int WorkingDaysLeft(DateOnly today, DateOnly dueOn)
    {
        var left = 0;
        for (var day = today.AddDays(1); day <= dueOn; day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day))
            {
                left++;
            }
        }

        return left;
    }
}
