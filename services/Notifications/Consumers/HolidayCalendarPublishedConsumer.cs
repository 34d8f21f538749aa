using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Notifications.Consumers;

/// <summary>
/// A year's holiday arrangement published: Notifications keeps no deadline of its own (a message once sent is not
/// rewritten), but the pickup day it writes into the next 待领取 SMS must count on the published year.
/// </summary>
public sealed class HolidayCalendarPublishedConsumer(
    ServiceDatabase<NotificationsModule> database, WorkingDayCalendar calendar, TimeProvider time, ILogger<HolidayCalendarPublishedConsumer> logger)
    : HolidayCalendarConsumer<NotificationsModule>(database, calendar, time, logger);
