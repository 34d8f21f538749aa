using Permits.FakeCourier;

namespace Permits.Embedded;

/// <summary>Runs the fake courier company beside the system, on its own port, as the third party it stands for.</summary>
public sealed class FakeCourierHost(IConfiguration configuration) : IHostedService, IAsyncDisposable
{
    private WebApplication? _courier;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = configuration.GetSection("FakeCourier").Get<FakeCourierOptions>() ?? new FakeCourierOptions();
        _courier = FakeCourierServer.Build(configuration["FakeCourier:Url"]!, options);
        await _courier.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_courier is not null)
        {
            await _courier.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_courier is not null)
        {
            await _courier.DisposeAsync();
        }
    }
}
