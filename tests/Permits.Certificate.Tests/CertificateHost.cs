using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Permits.Certificate.Features;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// One Certificate service instance on a real PostgreSQL database, over real gRPC. Its relay is off, so the messages
/// a step caused stay in the outbox to be counted. Several hosts may share one database (several instances).
/// </summary>
public sealed class CertificateHost : ServiceHost
{
    private CertificateHost(string provider, string? connectionString, string? dataDirectory)
        : base("certificate", provider, connectionString, dataDirectory)
    {
    }

    public Certificates.CertificatesClient Client => new(Channel);

    public static Task<string> NewDatabaseAsync() => CreateDatabaseAsync("certificate");

    public static async Task<CertificateHost> StartAsync(
        string? connectionString = null, string? dataDirectory = null, IDictionary<string, string?>? settings = null,
        string provider = "PostgreSql", IReadOnlyList<string>? extraAudiences = null, TimeProvider? time = null)
    {
        var host = new CertificateHost(provider, connectionString, dataDirectory);
        await host.StartAsync(new ServiceSetup
        {
            Overrides = settings,
            Time = time,
            Add = builder =>
            {
                builder.AddCertificateService();
                foreach (var audience in extraAudiences ?? [])
                {
                    // Identity's tokens name every Permits API; a test token names one, so a host may accept another's.
                    builder.AddPermitsAuthentication(audience);
                }
            },
            Map = app => app.MapCertificateService(),
        });
        return host;
    }

    /// <summary>An officer of 海盐县 with the 受理 and 审批 roles (every lifecycle step), as a bearer header.</summary>
    public static Metadata Officer { get; } = OfficerOf("330424", "clerk", "head");

    /// <summary>An officer of <paramref name="county"/> in <paramref name="roles"/>, for this API.</summary>
    public static Metadata OfficerOf(string county, params string[] roles) => Bearer(Tokens.OfficerFor("permits-certificate", county, roles));

    /// <summary>A signed-in shopkeeper, for this API (subject applicant-{phone}, as Tokens.Applicant gives Intake).</summary>
    public static Metadata Applicant(string phoneNumber) => Bearer(Tokens.Applicant(phoneNumber, audience: "permits-certificate"));

    /// <summary>Issues a licence the way the LicenceApproved consumer does: one transaction on this instance.</summary>
    public async Task<string?> IssueAsync(LicenceApproved approval)
    {
        using var scope = Services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<ServiceDatabase<CertificateModule>>();
        var issue = scope.ServiceProvider.GetRequiredService<IssueCertificate>();
        await using var session = await database.BeginAsync(CancellationToken.None);
        var number = await issue.HandleAsync(approval, session);
        await session.CommitAsync(CancellationToken.None);
        return number;
    }

    public Task<IReadOnlyList<string>> OutboxTypesAsync() => QueryAsync<string>("SELECT message_type FROM outbox_messages ORDER BY sequence");

    /// <summary>The outbox bodies of one message type (its assembly-qualified name), in the order they were written.</summary>
    public Task<IReadOnlyList<string>> OutboxBodiesAsync(string messageType) =>
        QueryAsync<string>("SELECT body FROM outbox_messages WHERE message_type = @MessageType ORDER BY sequence", new { MessageType = messageType });

    public static LicenceApproved Approval(string countyCode = "330424", string holderType = "IndividualBusiness", string? name = null)
    {
        var applicationId = Guid.NewGuid();
        return new LicenceApproved(
            applicationId, Guid.NewGuid(), $"{countyCode}-20261123-{applicationId.ToString("N")[..5]}", countyCode, holderType,
            name ?? "海盐县武原街道便民烟杂店", holderType == "Enterprise" ? "91330424MA2B3C4D5E" : null, "张三", "浙江省嘉兴市海盐县武原街道盐湖路 1 号",
            null, "盐烟专许〔2026〕1号", "officer-1", DateTimeOffset.UtcNow.AddDays(-1), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)));
    }
}
