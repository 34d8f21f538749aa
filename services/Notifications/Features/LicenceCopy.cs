using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Notifications.Features;

/// <summary>
/// The local copy of a licence (number, whose contact, county, holder, expiry), written by every event that issues or
/// renews one, and its expiry reminders scheduled as due rows. Keyed by the licence number: an imported licence is one
/// more event writing here.
/// </summary>
public static class LicenceCopy
{
    /// <summary>Days before expiry a reminder goes out. 延续 must be applied for at least 30 days before expiry.</summary>
    public static readonly IReadOnlyList<int> ReminderDays = [90, 30];

    /// <summary>Days before expiry by which a renewal (延续) must be applied for (《烟草专卖许可证管理办法》).</summary>
    public const int RenewalLeadDays = 30;

    // The first application stays the one whose contact is told; holder and expiry follow the newest version.
    private const string UpdateSql = """
        UPDATE notification_licences
        SET holder_name = @HolderName, valid_to = @ValidTo, county_code = @CountyCode, revoked = 0, updated_at = @Now
        WHERE licence_number = @LicenceNumber
        """;

    private const string InsertSql = """
        INSERT INTO notification_licences (licence_number, application_id, county_code, holder_name, valid_to, revoked, updated_at)
        VALUES (@LicenceNumber, @ApplicationId, @CountyCode, @HolderName, @ValidTo, 0, @Now)
        """;

    private const string ScheduleSql = """
        INSERT INTO notification_reminders (id, licence_number, valid_to, days_before, due_on, status)
        SELECT @Id, @LicenceNumber, @ValidTo, @DaysBefore, @DueOn, @Due
        WHERE NOT EXISTS (
            SELECT 1 FROM notification_reminders WHERE licence_number = @LicenceNumber AND valid_to = @ValidTo AND days_before = @DaysBefore)
        """;

    private const string RevokeSql = "UPDATE notification_licences SET revoked = 1, updated_at = @Now WHERE licence_number = @LicenceNumber";

    public const string Due = "Due";
    public const string Done = "Done";
    public const string Cancelled = "Cancelled";

    public static async Task RecordAsync(
        DbSession session, string licenceNumber, Guid applicationId, string countyCode, string holderName, DateOnly validTo, DateTimeOffset now)
    {
        var row = new { LicenceNumber = licenceNumber, ApplicationId = applicationId, CountyCode = countyCode, HolderName = holderName, ValidTo = validTo, Now = now };
        if (await session.ExecuteAsync(UpdateSql, row) == 0)
        {
            await session.ExecuteAsync(InsertSql, row);
        }

        foreach (var days in ReminderDays)
        {
            await session.ExecuteAsync(ScheduleSql, new
            {
                Id = ReminderId(licenceNumber, validTo, days),
                LicenceNumber = licenceNumber,
                ValidTo = validTo,
                DaysBefore = days,
                DueOn = validTo.AddDays(-days),
                Due,
            });
        }
    }

    public static Task RevokeAsync(DbSession session, string licenceNumber, DateTimeOffset now) =>
        session.ExecuteAsync(RevokeSql, new { LicenceNumber = licenceNumber, Now = now });

    public static Guid ReminderId(string licenceNumber, DateOnly validTo, int daysBefore) =>
        DeterministicGuid.Create(licenceNumber, ChinaTime.Text(validTo), daysBefore);
}
