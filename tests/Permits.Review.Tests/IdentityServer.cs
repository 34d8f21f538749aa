using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Permits.Identity;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// The real Identity service with the demo officer accounts (identity-demo.json: hy-inspector1, hy-inspector2, hy-clerk,
/// js-inspector1, ...; officer ids o-{username}), on its own SQLite file: Review asks it who the second inspector is. It
/// trusts the test tokens, and accepts Review's audience because Review forwards the officer's token as it came
/// (Identity's own tokens name every Permits API).
/// </summary>
public sealed class IdentityServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdentityServer(WebApplication app, string grpcUrl)
    {
        _app = app;
        GrpcUrl = grpcUrl;
    }

    public string GrpcUrl { get; }

    public static async Task<IdentityServer> StartAsync()
    {
        var folder = TestData.NewFolder("review-identity");
        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = "Sqlite",
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = $"Data Source={Path.Combine(folder, "identity.db")}",
            ["DataDirectory"] = folder,
            ["Bus:Transport"] = "InMemory",
            ["Outbox:RelayEnabled"] = "false",
            ["Identity:AllowHttp"] = "true",
            ["Identity:DemoAccounts"] = "true",
            ["Identity:SmsGatewayUrl"] = "http://127.0.0.1:9/",
        });
        builder.AddServiceDefaults();
        builder.AddIdentityService();
        builder.AddPermitsAuthentication(PermitsAudiences.Review);
        builder.AddPermitsBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIdentityService();
        await app.StartAsync();
        return new IdentityServer(app, grpcUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
