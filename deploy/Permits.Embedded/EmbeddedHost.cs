using Permits.Certificate;
using Permits.Delivery;
using Permits.Disclosure;
using Permits.FakeCourier;
using Permits.FakeSms;
using Permits.Identity;
using Permits.Intake;
using Permits.Notifications;
using Permits.Portal;
using Permits.Review;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

namespace Permits.Embedded;

/// <summary>
/// The whole system in one process, for a newcomer with only the .NET SDK: each service contributes its module to one
/// container and one in-memory bus (MassTransit's in-memory transport does not cross bus instances), each keeps its
/// own SQLite file, the Portal serves pages, and a fake courier company answers on its own port.
/// </summary>
public static class EmbeddedHost
{
    public const string DefaultPortalUrl = "http://127.0.0.1:5080";
    public const string DefaultGrpcUrl = "http://127.0.0.1:5081";
    public const string DefaultCourierUrl = "http://127.0.0.1:5082";
    public const string DefaultSmsUrl = "http://127.0.0.1:5083";

    private static readonly string[] ServiceNames = ["Intake", "Review", "Certificate", "Delivery", "Disclosure", "Identity", "Notifications"];

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // Defaults only fill what nothing else gave, and derive from what was given (the courier URL from its port).
        builder.Configuration.AddInMemoryCollection(Defaults(builder.Configuration));

        builder.AddServiceDefaults();
        builder.AddIntakeService();
        builder.AddReviewService();
        builder.AddCertificateService();
        builder.AddDeliveryService();
        builder.AddDisclosureService();
        builder.AddIdentityService();
        builder.AddNotificationsService();
        builder.AddPortal();
        builder.AddPermitsBus();
        // Plain singletons: AddHostedService keeps one registration per implementation type.
        var configuration = builder.Configuration;
        builder.Services.AddSingleton<IHostedService>(_ => new ThirdPartyHost(() => FakeCourierServer.Build(
            configuration["FakeCourier:Url"]!,
            configuration.GetSection("FakeCourier").Get<FakeCourierOptions>() ?? new FakeCourierOptions())));
        builder.Services.AddSingleton<IHostedService>(_ => new ThirdPartyHost(() => FakeSmsServer.Build(configuration["FakeSms:Url"]!)));
        builder.Services.AddHostedService<DemoData>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntakeService();
        app.MapReviewService();
        app.MapCertificateService();
        app.MapDeliveryService();
        app.MapDisclosureService();
        app.MapIdentityService();
        app.MapNotificationsService();
        app.MapPortal();
        return app;
    }

    public static void PrintWelcome(WebApplication app)
    {
        var portal = app.Configuration["Embedded:PortalUrl"]!.Split(';')[0].TrimEnd('/');
        Console.WriteLine();
        Console.WriteLine("  Permits — 烟草专卖零售许可证网上办理 (embedded mode)");
        Console.WriteLine($"  Portal:       {portal}/");
        Console.WriteLine($"  Officers:     {portal}/officer");
        Console.WriteLine($"  gRPC:         {app.Configuration["Grpc:Url"]}");
        Console.WriteLine($"  Fake courier: {app.Configuration["Courier:BaseUrl"]}");
        Console.WriteLine($"  Sign-in:      shopkeepers by mobile number; read the code at {app.Configuration["FakeSms:Url"]}/api/v1/messages?phone=<number>");
        Console.WriteLine("                officers hy-clerk, hy-inspector1, hy-inspector2, hy-reviewer, hy-head (海盐县),");
        Console.WriteLine("                js-clerk … js-head (嘉善县), password Permits@2026");
        Console.WriteLine($"  Data:         {Path.GetFullPath(app.Configuration["DataDirectory"]!)}");
        Console.WriteLine("  Press Ctrl+C to stop.");
        Console.WriteLine();
    }

    /// <summary>Settings a single process needs; anything given on the command line or in the environment wins.</summary>
    private static Dictionary<string, string?> Defaults(IConfiguration given)
    {
        var grpc = given["Grpc:Url"] ?? DefaultGrpcUrl;
        var portal = given["urls"] ?? DefaultPortalUrl;
        var defaults = new Dictionary<string, string?>
        {
            ["urls"] = portal,
            // `urls` is consumed when the endpoints are split by protocol; keep the Portal's address to print it.
            ["Embedded:PortalUrl"] = portal,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = given["DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data", "embedded"),
            ["Bus:Transport"] = given["Bus:Transport"] ?? "InMemory",
            ["FakeCourier:Url"] = given["FakeCourier:Url"] ?? DefaultCourierUrl,
            ["Courier:BaseUrl"] = given["Courier:BaseUrl"] ?? given["FakeCourier:Url"] ?? DefaultCourierUrl,
            // The fake courier posts tracking events to Delivery's webhook, signed with the shared development secret.
            ["Courier:WebhookSecret"] = given["Courier:WebhookSecret"] ?? WebhookSender.DevelopmentSecret,
            ["Courier:CallbackUrl"] = given["Courier:CallbackUrl"] ?? portal.Split(';')[0].TrimEnd('/') + "/courier/webhook",
            // The licence's QR code opens this Portal's verification page.
            ["Certificate:PublicVerifyUrl"] = given["Certificate:PublicVerifyUrl"] ?? portal.Split(';')[0].TrimEnd('/') + "/verify",
        };
        foreach (var service in ServiceNames)
        {
            defaults[$"Services:{service}:Url"] = given[$"Services:{service}:Url"] ?? grpc;
        }

        // Identity shares the Portal's origin in this process; the Portal is its OpenID Connect client.
        var portalBase = portal.Split(';')[0].TrimEnd('/');
        var identity = given["Identity:Issuer"] ?? portalBase + "/";
        defaults["FakeSms:Url"] = given["FakeSms:Url"] ?? DefaultSmsUrl;
        defaults["Identity:SmsGatewayUrl"] = given["Identity:SmsGatewayUrl"] ?? given["FakeSms:Url"] ?? DefaultSmsUrl;
        defaults["Sms:BaseUrl"] = given["Sms:BaseUrl"] ?? given["FakeSms:Url"] ?? DefaultSmsUrl;
        defaults["Identity:Issuer"] = identity;
        defaults["Identity:Authority"] = given["Identity:Authority"] ?? identity;
        defaults["Identity:AllowHttp"] = given["Identity:AllowHttp"] ?? "true";
        defaults["Identity:DemoAccounts"] = given["Identity:DemoAccounts"] ?? "true";
        defaults["Portal:ClientId"] = given["Portal:ClientId"] ?? "portal";
        defaults["Portal:ClientSecret"] = given["Portal:ClientSecret"] ?? "portal-demo-secret";
        // The Portal's client follows any clients given (a test client, say), unless one of them is the Portal's.
        var clients = given.GetSection("Identity:Clients").GetChildren().ToList();
        if (!clients.Any(c => c["ClientId"] == defaults["Portal:ClientId"]))
        {
            var client = $"Identity:Clients:{clients.Count}";
            defaults[$"{client}:ClientId"] = defaults["Portal:ClientId"];
            defaults[$"{client}:ClientSecret"] = defaults["Portal:ClientSecret"];
            defaults[$"{client}:Name"] = "烟草专卖零售许可证网上办理门户";
            defaults[$"{client}:GrantTypes:0"] = "authorization_code";
            defaults[$"{client}:RedirectUris:0"] = portalBase + "/signin-oidc";
            defaults[$"{client}:PostLogoutRedirectUris:0"] = portalBase + "/";
            defaults[$"{client}:Scopes:0"] = "openid";
            defaults[$"{client}:Scopes:1"] = "profile";
            defaults[$"{client}:Scopes:2"] = "permits";
        }

        return defaults;
    }
}
