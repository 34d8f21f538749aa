namespace Permits.FakeCourier;

/// <summary>How the fake courier behaves. Configuration section <c>FakeCourier</c>.</summary>
public sealed record FakeCourierOptions
{
    /// <summary>Seconds between consecutive tracking events: event k appears k × StepSeconds after booking.</summary>
    public double StepSeconds { get; init; } = 2;

    /// <summary>The courier's clock; tests may pass a fake one to step the tracking events exactly.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
