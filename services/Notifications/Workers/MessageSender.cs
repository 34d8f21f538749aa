using Permits.Notifications.Features;
using Permits.Notifications.Sms;
using Permits.Shared.Hosting;

namespace Permits.Notifications.Workers;

/// <summary>
/// Sends due messages on the shared polling loop (<c>Notifications:PollMs</c>, default 500): again at once after a
/// full batch, less often (up to eight times the interval) while nothing is due. Each pass gets its own scope, so the typed gateway client follows HttpClientFactory's handler rotation.
/// </summary>
public sealed class MessageSender(
    SendDueMessages send, IServiceScopeFactory scopes, NotificationSettings settings, TimeProvider time, ILogger<MessageSender> logger)
    : PollingWorker(time, logger)
{
    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var due = await send.RunOnceAsync(scope.ServiceProvider.GetRequiredService<SmsGatewayClient>(), cancellationToken);
        return due >= NotificationSettings.BatchSize ? TimeSpan.Zero : due == 0 ? Idle(settings.Poll) : settings.Poll;
    }
}
