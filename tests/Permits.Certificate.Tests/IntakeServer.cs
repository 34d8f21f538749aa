using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Certificate;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Permits.Contracts.Intake.V1;
using Permits.Intake;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// The real Intake service on its own PostgreSQL database: it owns who applied for what, which is how Certificate
/// recognises a licence's holder. It also accepts the Certificate audience: Identity's tokens for scope "permits"
/// name every Permits API, a test token names one, and Certificate forwards the caller's token as it came.
/// </summary>
public sealed class IntakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IntakeServer(WebApplication app, string grpcUrl)
    {
        _app = app;
        GrpcUrl = grpcUrl;
        Client = new Applications.ApplicationsClient(Channels.For(grpcUrl));
    }

    public string GrpcUrl { get; }

    public Applications.ApplicationsClient Client { get; }

    /// <param name="settings">More configuration (e.g. Services:Certificate:Url, asked who holds a licence).</param>
    public static async Task<IntakeServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = "PostgreSql",
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = await (await TestServers.GetAsync()).NewDatabaseAsync("certificate_intake_tests"),
            ["Bus:Transport"] = "InMemory",
            ["Outbox:RelayEnabled"] = "false",
            ["Intake:Materials:Required"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults();
        builder.AddIntakeService();
        builder.AddPermitsAuthentication(PermitsAudiences.Certificate);
        builder.AddPermitsBus();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntakeService();
        await app.StartAsync();
        return new IntakeServer(app, grpcUrl);
    }

    /// <summary>Submits the sample application as the shopkeeper with this mobile number; they own it.</summary>
    public Task<SubmitApplicationResponse> SubmitAsync(string phoneNumber) =>
        Client.SubmitAsync(SampleApplications.Individual(), new Metadata { { "Authorization", "Bearer " + Tokens.Applicant(phoneNumber) } }).ResponseAsync;

    /// <summary>Submits <paramref name="request"/> as the shopkeeper with this mobile number.</summary>
    public Task<SubmitApplicationResponse> SubmitAsync(SubmitApplicationRequest request, string phoneNumber) =>
        Client.SubmitAsync(request, new Metadata { { "Authorization", "Bearer " + Tokens.Applicant(phoneNumber) } }).ResponseAsync;

    /// <summary>
    /// Tells Intake the licence was issued, as CertificateIssued would over the bus (this Intake has its own in-memory
    /// bus), and waits until the shopkeeper's application shows the number.
    /// </summary>
    public async Task PublishIssuedAsync(Guid applicationId, string applicationNumber, string licenceNumber, string phoneNumber)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await _app.Services.GetRequiredService<IBus>().Publish(new CertificateIssued(
            Guid.NewGuid(), applicationId, applicationNumber, "330424", licenceNumber, "海盐县武原街道便民烟杂店",
            today, today.AddYears(5).AddDays(-1), DateTimeOffset.UtcNow));
        var owner = new Metadata { { "Authorization", "Bearer " + Tokens.Applicant(phoneNumber) } };
        await Eventually.TrueAsync(
            async () => (await Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId.ToString() }, owner)).LicenceNumber == licenceNumber,
            TimeSpan.FromSeconds(20), "Intake records the licence number");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
