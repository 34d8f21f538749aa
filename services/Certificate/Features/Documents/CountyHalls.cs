using Permits.Contracts.Delivery;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// The service hall the documents name. Delivery owns it and announces each accepted change (HallSettingsChanged);
/// Certificate keeps the latest version per county (table county_halls) and reads it for each document it issues, in
/// the issuing transaction, so the next document names the new hall without a restart. A county Delivery never
/// announced a hall for keeps the county directory's.
/// </summary>
public static class CountyHalls
{
    private const string ReadSql = """
        SELECT address AS Address, opening_hours AS OpeningHours, phone AS Phone
        FROM county_halls WHERE county_code = @CountyCode
        """;

    private const string ReplaceSql = """
        UPDATE county_halls
        SET address = @Address, opening_hours = @OpeningHours, phone = @Phone, version = @Version,
            changed_at = @ChangedAt, changed_by = @ChangedBy
        WHERE county_code = @CountyCode AND version < @Version
        """;

    private const string InsertSql = """
        INSERT INTO county_halls (county_code, address, opening_hours, phone, version, changed_at, changed_by)
        SELECT @CountyCode, @Address, @OpeningHours, @Phone, @Version, @ChangedAt, @ChangedBy
        WHERE NOT EXISTS (SELECT 1 FROM county_halls WHERE county_code = @CountyCode)
        """;

    /// <summary>The county with the hall in force (address, hours and phone).</summary>
    public static async Task<County> InForceAsync(DbSession session, County county) =>
        await session.QuerySingleOrDefaultAsync<Row>(ReadSql, new { CountyCode = county.Code }) is { } hall
            ? With(county, hall.Address, hall.OpeningHours, hall.Phone)
            : county;

    /// <summary>The county with a hall kept here (address, hours and phone).</summary>
    public static County With(County county, string address, string openingHours, string phone) =>
        county with { ServiceHallAddress = address, ServiceHallHours = openingHours, ServiceHallPhone = phone };

    /// <summary>Keeps the announced hall unless a version as new or newer is already kept (a late one changes nothing).</summary>
    public static async Task KeepAsync(DbSession session, HallSettingsChanged message)
    {
        if (await session.ExecuteAsync(ReplaceSql, message) == 0)
        {
            await session.ExecuteAsync(InsertSql, message);
        }
    }

    private sealed class Row
    {
        public string Address { get; init; } = "";
        public string OpeningHours { get; init; } = "";
        public string Phone { get; init; } = "";
    }
}
