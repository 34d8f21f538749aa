using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Security;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// The Intake service alone, on a real database, over real gRPC. Its relay is off, so every message a call caused is
/// still in the outbox to be counted.
/// </summary>
public sealed class IntakeHost : ServiceHost
{
    private IntakeHost(string provider)
        : base("intake", provider)
    {
    }

    public Applications.ApplicationsClient Client => new(Channel);

    /// <summary>For calls the generated client cannot make (bytes that are not a valid message).</summary>
    public CallInvoker Invoker => Channel.CreateCallInvoker();

    /// <summary>The bearer header of a signed-in shopkeeper (by default the sample applicant).</summary>
    public static Metadata As(string phoneNumber = "13800571234") => Bearer(Tokens.Applicant(phoneNumber));

    /// <summary>The bearer header of a county officer (clerk, inspector, reviewer, head, disclosure-clerk).</summary>
    public static Metadata AsOfficer(string county, string role) => Bearer(Tokens.OfficerFor("permits-intake", county, role));

    /// <param name="requireMaterials">Most tests are about other things and submit without materials.</param>
    /// <param name="settings">More configuration (e.g. Intake:RequirementsFile).</param>
    /// <param name="time">A hand-moved clock; the system clock without one.</param>
    public static async Task<IntakeHost> StartAsync(
        string provider, bool requireMaterials = false, IDictionary<string, string?>? settings = null, ManualTime? time = null)
    {
        var host = new IntakeHost(provider);
        await host.StartAsync(new ServiceSetup
        {
            Time = time,
            Settings = { ["Intake:Materials:Required"] = requireMaterials ? "true" : "false" },
            Overrides = settings,
            Add = builder =>
            {
                // These tests are about Intake's own rules: Certificate's answer to "does this applicant hold the
                // licence?" is yes here. The real question, asked of the real Certificate, is tested in
                // Permits.Certificate.Tests (HolderTests).
                builder.Services.AddSingleton<ILicenceHolders, EveryApplicantHoldsTheLicence>();
                builder.AddIntakeService();
            },
            Map = app => app.MapIntakeService(),
        });
        return host;
    }

    public Task<long> CountAsync(string table) => ScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
}

/// <summary>The Portal's pages server-rendered against the real Intake (on SQLite), for the page tests.</summary>
public abstract class IntakePages : IAsyncLifetime
{
    protected IntakeHost Intake { get; private set; } = null!;

    protected PortalUnderTest Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Intake = await IntakeHost.StartAsync("Sqlite");
        Portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Intake"] = Intake.GrpcUrl });
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Intake.DisposeAsync();
    }
}

/// <summary>Certificate's answer for Intake's own tests: whoever applies holds the licence, matched by the 身份证号.</summary>
internal sealed class EveryApplicantHoldsTheLicence : ILicenceHolders
{
    public Task<string> RequireHolderAsync(
        string licenceNumber, string? creditCode, string idNumber, string? authorization, CancellationToken cancellationToken) =>
        Task.FromResult(string.IsNullOrEmpty(creditCode) ? "IdNumber" : "CreditCode");
}
