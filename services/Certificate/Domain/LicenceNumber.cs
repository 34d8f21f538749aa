using Permits.Shared.Data;

namespace Permits.Certificate.Domain;

/// <summary>
/// 许可证号: 6-digit county code + 1 holder-type digit (1 个体工商户, 2 企业及其他) + 5-digit serial. Serials are
/// gap-free per county and holder type; when they run out, issuing stops with a clear error instead of wrapping.
/// </summary>
public static class LicenceNumber
{
    public const int MaxSerial = 99_999;

    public static char HolderDigit(string holderType) => holderType == "Enterprise" ? '2' : '1';

    public static string Format(string countyCode, char holderDigit, long serial)
    {
        if (countyCode.Length != 6 || !countyCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"County code {countyCode} is not 6 digits.", nameof(countyCode));
        }

        if (serial is < 1 or > MaxSerial)
        {
            throw new SerialsExhaustedException(countyCode, holderDigit);
        }

        return $"{countyCode}{holderDigit}{serial:D5}";
    }

    /// <summary>The serial counter of a county and holder type (an import moves it past the serials it brings).</summary>
    public static string CounterName(string countyCode, char holderDigit) => $"licence:{countyCode}:{holderDigit}";

    /// <summary>
    /// The application's number, inside the caller's transaction: the serial <see cref="ReserveAsync"/> took for it,
    /// or else the next one (the counter row's lock then serializes concurrent issuers until this transaction ends; two
    /// racing to create the first number of a county and holder type both succeed, see <see cref="Counters"/>).
    /// </summary>
    public static async Task<string> AllocateAsync(DbSession session, Guid applicationId, string countyCode, string holderType)
    {
        var digit = HolderDigit(holderType);
        var serial = await Counters.TakeAsync(session, ReservationKey(applicationId), CounterName(countyCode, digit), Check(countyCode, digit));
        return Format(countyCode, digit, serial);
    }

    /// <summary>Takes the application's serial ahead of the transaction that issues the licence (<see cref="Counters.ReserveAsync"/>).</summary>
    public static Task ReserveAsync<TService>(
        ServiceDatabase<TService> database, Guid applicationId, string countyCode, string holderType, CancellationToken cancellationToken)
        where TService : Permits.Shared.Messaging.IServiceModule
    {
        var digit = HolderDigit(holderType);
        return Counters.ReserveAsync(database, ReservationKey(applicationId), CounterName(countyCode, digit), Check(countyCode, digit), cancellationToken);
    }

    private static string ReservationKey(Guid applicationId) => $"licence:{applicationId}";

    /// <summary>A serial past the range is refused before it is recorded, so the counter stays where it was.</summary>
    private static Action<long> Check(string countyCode, char digit) => serial =>
    {
        if (serial > MaxSerial)
        {
            throw new SerialsExhaustedException(countyCode, digit);
        }
    };
}

public sealed class SerialsExhaustedException(string countyCode, char holderDigit)
    : InvalidOperationException(
        $"Licence serials for county {countyCode}, holder type {holderDigit} are exhausted ({LicenceNumber.MaxSerial}); " +
        "the numbering rule needs a decision by the provincial bureau before more licences can be issued.");
