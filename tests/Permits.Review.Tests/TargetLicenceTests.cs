using Permits.Contracts.Licensing;
using Permits.Shared.Domain;
namespace Permits.Review.Tests;

/// <summary>
/// A request on a licence (补办, 注销, ...) arrives: the case shows the licence it concerns and how Intake matched the
/// applicant to that licence's holder, so the officers see whose licence it is before they decide.
/// </summary>
public sealed class When_a_request_on_a_licence_opens_a_case : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("Sqlite", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_show_the_target_licence_and_the_holder_match()
    {
        var reissue = await _host.SubmitAsync(requestType: RequestTypes.Reissue, licenceNumber: "330424100001", holderMatch: "IdNumber");
        var unchecked_ = await _host.SubmitAsync(requestType: RequestTypes.Cancel, licenceNumber: "330424100002");
        var newShop = await _host.SubmitAsync();

        Assert.Equal(("330424100001", "IdNumber"), (reissue.LicenceNumber, reissue.HolderMatch));
        Assert.Equal(("330424100002", "Unchecked"), (unchecked_.LicenceNumber, unchecked_.HolderMatch));
        Assert.Equal(("", ""), (newShop.LicenceNumber, newShop.HolderMatch));
    }
}
