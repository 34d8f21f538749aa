namespace Permits.Contracts;

/// <summary>How the shopkeeper wants the paper licence: by courier to an address, or collected at the service hall.</summary>
public sealed record DeliveryChoice(DeliveryMethod Method, string RecipientName, string RecipientPhone, string? Address);

public enum DeliveryMethod
{
    Courier = 1,
    Pickup = 2,
}
