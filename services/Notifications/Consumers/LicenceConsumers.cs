using Permits.Contracts.Certificate;
using Permits.Contracts.Delivery;
using Permits.Contracts.Documents;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Notifications.Consumers;

/// <summary>The licence was issued: its number and validity; its copy is kept for the expiry reminders.</summary>
public sealed class CertificateIssuedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<CertificateIssuedConsumer> logger)
    : NotifyingConsumer<CertificateIssued>(database, time, logger)
{
    protected override Notice Of(CertificateIssued message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.CertificateId, message.Version),
        new Dictionary<string, string>
        {
            ["LicenceNumber"] = message.LicenceNumber,
            ["ValidTo"] = ChinaTime.Text(message.ValidTo),
        });

    protected override Task AlsoAsync(CertificateIssued message, DbSession session, DateTimeOffset now) =>
        Features.LicenceCopy.RecordAsync(
            session, message.LicenceNumber, message.ApplicationId, message.CountyCode, message.HolderName, message.ValidTo, now);
}

/// <summary>Handed to the courier: who carries it and the waybill.</summary>
public sealed class ShipmentDispatchedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<ShipmentDispatchedConsumer> logger)
    : NotifyingConsumer<ShipmentDispatched>(database, time, logger)
{
    protected override Notice Of(ShipmentDispatched message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ShipmentId, message.WaybillNumber),
        new Dictionary<string, string>
        {
            ["Courier"] = message.Courier,
            ["WaybillNumber"] = message.WaybillNumber,
        });
}

/// <summary>
/// Ready at the hall: where, and until when — the 10 working days within which the licence must be served (the same
/// limit Delivery keeps), counted from the day it was put out.
/// </summary>
public sealed class ShipmentAwaitingPickupConsumer(
    ServiceDatabase<NotificationsModule> database, WorkingDayCalendar calendar, TimeProvider time, ILogger<ShipmentAwaitingPickupConsumer> logger)
    : NotifyingConsumer<ShipmentAwaitingPickup>(database, time, logger)
{
    public const int PickupWorkingDays = 10;

    protected override Notice Of(ShipmentAwaitingPickup message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ShipmentId, message.SwitchedFromCourier ? "returned" : "pickup"),
        new Dictionary<string, string>
        {
            ["PickupAddress"] = message.PickupAddress,
            ["PickupBy"] = ChinaTime.Text(calendar.AddWorkingDays(ChinaTime.DateOf(message.At), PickupWorkingDays).Date),
        });
}

/// <summary>送达: who signed.</summary>
public sealed class ShipmentDeliveredConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<ShipmentDeliveredConsumer> logger)
    : NotifyingConsumer<ShipmentDelivered>(database, time, logger)
{
    protected override Notice Of(ShipmentDelivered message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ShipmentId, "delivered"),
        new Dictionary<string, string> { ["SignedBy"] = PersonalData.MaskName(message.SignedBy) });
}

/// <summary>A formal document was served: which, when and how (the applicant's record of 送达).</summary>
public sealed class DocumentServedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<DocumentServedConsumer> logger)
    : NotifyingConsumer<DocumentServed>(database, time, logger)
{
    protected override Notice Of(DocumentServed message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentKind, message.DocumentNumber),
        new Dictionary<string, string>
        {
            ["DocumentTitle"] = OfficialDocuments.TryGet(message.DocumentKind, out var kind) ? kind.Title : "文书",
            ["DocumentNumber"] = message.DocumentNumber,
            ["ServedOn"] = ChinaTime.Text(ChinaTime.DateOf(message.ServedAt)),
            ["ServiceMethod"] = MethodLabel(message.Method),
        });

    private static string MethodLabel(ServiceMethod method) => method switch
    {
        ServiceMethod.Electronic => "电子送达",
        ServiceMethod.Post => "邮寄送达",
        _ => "直接送达",
    };
}
