namespace Permits.Portal.Web;

/// <summary>TempData keys for the one-time banner the layout shows after a POST-redirect-GET.</summary>
public static class Banner
{
    public const string Success = "banner.success";
    public const string Alert = "banner.alert";
}
