namespace Permits.Notifications.Domain;

/// <summary>Where a message stands: waiting to be sent, failed and due again, accepted by the gateway, given up.</summary>
public static class MessageStatus
{
    public const string Pending = "Pending";
    public const string Retrying = "Retrying";
    public const string Sent = "Sent";
    public const string Failed = "Failed";
}
