namespace Permits.Embedded;

/// <summary>
/// Runs a fake third party (courier company, SMS gateway) beside the system, on its own port, as the separate
/// server it stands for.
/// </summary>
public sealed class ThirdPartyHost(Func<WebApplication> build) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = build();
        await _server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
