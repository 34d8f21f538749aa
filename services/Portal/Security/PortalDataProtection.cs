using Microsoft.AspNetCore.DataProtection;

namespace Permits.Portal.Security;

/// <summary>
/// The keys that protect the sign-in cookie and the forms' antiforgery tokens. Several Portal replicas must share one
/// key ring, or a form served by one replica is refused by the next: <c>Portal:DataProtection:KeysDirectory</c> names a
/// directory every replica mounts (the cluster mode mounts a shared volume there). Unset, each process keeps its own
/// keys (the embedded and distributed modes run one Portal).
/// </summary>
public static class PortalDataProtection
{
    public const string ApplicationName = "Permits.Portal";

    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        var directory = builder.Configuration["Portal:DataProtection:KeysDirectory"];
        if (!string.IsNullOrWhiteSpace(directory))
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(directory));
        }

        return builder;
    }
}
