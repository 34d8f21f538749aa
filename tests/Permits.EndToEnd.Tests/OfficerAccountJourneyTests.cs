using Grpc.Core;
using Permits.Contracts.Identity.V1;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The embedded system: the county's 系统管理员 (hy-admin) creates a clerk through Identity's OfficerAccounts, the new
/// clerk replaces the temporary password on Identity's sign-in page, gets a real token and accepts a shopkeeper's
/// application in Review — no restart, no configuration. Deactivated, the clerk gets no token again.
/// </summary>
public sealed class When_the_system_admin_creates_an_officer : IAsyncLifetime
{
    private const string Password = "Haiyan2027clerk";
    private readonly string _data = TestData.NewFolder("embedded-tests");
    private EmbeddedUnderTest _system = null!;

    public async Task InitializeAsync() => _system = await EmbeddedUnderTest.StartAsync(_data);

    public async Task DisposeAsync()
    {
        await _system.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Should_let_the_new_clerk_sign_in_at_once_and_accept_a_case()
    {
        var journey = _system.Journey;
        var accounts = new OfficerAccounts.OfficerAccountsClient(_system.Channel);
        var admin = Bearer(await journey.Officers.TokenAsync("hy-admin"));
        var created = await accounts.CreateOfficerAccountAsync(
            new CreateOfficerAccountRequest { Username = "hy-clerk5", DisplayName = "海盐县受理员五", Roles = { "clerk" } }, admin);
        Assert.True(await journey.Officers.ReplaceTemporaryPasswordAsync("hy-clerk5", created.TemporaryPassword, Password));
        var token = await journey.Officers.TokenAsync("hy-clerk5", Password);
        Assert.Equal("o-hy-clerk5", OfficerSignIn.Subject(token));

        var submitted = await journey.SubmitAsync(SampleApplications.Individual("330424"));
        var reviewCase = await journey.WaitForCaseAsync(submitted.ApplicationId, "330424");
        var accepted = await journey.Review.AcceptAsync(LicenceJourney.Act(reviewCase), Bearer(token));
        Assert.Equal("UnderReview", accepted.Stage);

        await accounts.DeactivateOfficerAccountAsync(new OfficerAccountRequest { Username = "hy-clerk5" }, admin);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => journey.Officers.TokenAsync("hy-clerk5", Password));
        Assert.Contains("invalid_grant", refused.Message);
    }

    private static Metadata Bearer(string token) => new() { { "Authorization", "Bearer " + token } };
}
