namespace Permits.Delivery.Features;

/// <summary>What one pass of a courier worker did.</summary>
/// <param name="Taken">Shipments it took up (at most <see cref="DeliverySettings.BatchSize"/>).</param>
/// <param name="CourierUnavailable">The courier could not be reached or failed as a whole: the pass stopped early.</param>
public sealed record CourierPass(int Taken, bool CourierUnavailable)
{
    /// <summary>A full batch: more may be waiting, so the next pass need not wait.</summary>
    public bool Full => Taken >= DeliverySettings.BatchSize;
}
