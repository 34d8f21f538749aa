using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Shared.Hosting;

/// <summary>
/// The data-protection key ring (what protects sign-in cookies and antiforgery tokens) kept in the service's own
/// database, table <c>data_protection_keys</c>, so every replica reads the keys any of them made: a sign-in form
/// served by one replica and posted to another is accepted. Keys are stored as the framework writes them; the database's
/// own access control protects them, as it protects everything else the service keeps.
/// </summary>
public sealed class DatabaseKeyRing<TService>(ServiceDatabase<TService> database) : IXmlRepository
    where TService : IServiceModule
{
    internal const string AllSql = "SELECT xml FROM data_protection_keys ORDER BY created_at";

    internal const string StoreSql =
        "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@FriendlyName, @Xml, @CreatedAt)";

    // The framework calls these synchronously, rarely (start-up, key expiry), and caches the ring in between.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>(AllSql).Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute(StoreSql, new
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }
}
