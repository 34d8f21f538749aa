using Permits.Certificate;
using Permits.Delivery;
using Permits.Disclosure;
using Permits.Intake;
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

    private static readonly string[] ServiceNames = ["Intake", "Review", "Certificate", "Delivery", "Disclosure"];

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
        builder.AddPortal();
        builder.AddPermitsBus();
        builder.Services.AddHostedService<FakeCourierHost>();
        builder.Services.AddHostedService<DemoData>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntakeService();
        app.MapReviewService();
        app.MapCertificateService();
        app.MapDeliveryService();
        app.MapDisclosureService();
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
        };
        foreach (var service in ServiceNames)
        {
            defaults[$"Services:{service}:Url"] = given[$"Services:{service}:Url"] ?? grpc;
        }

        return defaults;
    }
}
