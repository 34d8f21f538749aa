namespace Permits.FakeCourier;

/// <summary>The faults now switched on, and the counters tests read. Thread-safe.</summary>
public sealed class FaultSwitch(FakeCourierOptions options)
{
    private readonly Lock _lock = new();
    private CourierFaults _current = options.Faults;
    private int _bookingRequests;
    private int _apiRequests;
    private int _faultedRequests;
    private int _webhooksSent;
    private int _webhookFailures;

    public CourierFaults Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public void Set(CourierFaults faults)
    {
        lock (_lock)
        {
            _current = faults;
        }
    }

    /// <summary>Counts an API request and says whether it must fail with a server error (outage, or one of the next N).</summary>
    public bool TakeServerError()
    {
        lock (_lock)
        {
            _apiRequests++;
            if (_current.Outage)
            {
                _faultedRequests++;
                return true;
            }

            if (_current.ServerErrors > 0)
            {
                _current = _current with { ServerErrors = _current.ServerErrors - 1 };
                _faultedRequests++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Counts a booking request and says whether its answer must be lost after booking.</summary>
    public bool TakeLostBookingAnswer()
    {
        lock (_lock)
        {
            _bookingRequests++;
            if (_current.LoseBookingAnswers > 0)
            {
                _current = _current with { LoseBookingAnswers = _current.LoseBookingAnswers - 1 };
                _faultedRequests++;
                return true;
            }

            return false;
        }
    }

    public void WebhookSent(bool ok)
    {
        lock (_lock)
        {
            if (ok)
            {
                _webhooksSent++;
            }
            else
            {
                _webhookFailures++;
            }
        }
    }

    public CourierStats Stats(int shipments)
    {
        lock (_lock)
        {
            return new CourierStats(shipments, _bookingRequests, _apiRequests, _faultedRequests, _webhooksSent, _webhookFailures);
        }
    }
}
