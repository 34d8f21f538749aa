namespace Permits.FakeCourier;

/// <summary>
/// Switches faults on and off and reports counters, for tests and demos. Not part of any real courier's API.
/// GET/POST/DELETE /admin/faults, GET /admin/stats.
/// </summary>
public static class AdminEndpoints
{
    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        app.MapGet("/admin/faults", (FaultSwitch faults) => Results.Ok(faults.Current));
        app.MapPost("/admin/faults", (CourierFaults faults, FaultSwitch current) =>
        {
            current.Set(faults);
            return Results.Ok(current.Current);
        });
        app.MapDelete("/admin/faults", (FaultSwitch current) =>
        {
            current.Set(new CourierFaults());
            return Results.Ok(current.Current);
        });
        app.MapGet("/admin/stats", (FaultSwitch faults, ShipmentLedger ledger) => Results.Ok(faults.Stats(ledger.Count)));
        return app;
    }

    /// <summary>Applies the API faults (slow answers, server errors) to /api/** requests.</summary>
    public static WebApplication UseApiFaults(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }

            var faults = context.RequestServices.GetRequiredService<FaultSwitch>();
            var slow = faults.Current.SlowMs;
            if (slow > 0)
            {
                try
                {
                    await Task.Delay(slow, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (faults.TakeServerError())
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("courier unavailable (fault switched on)");
                return;
            }

            await next(context);
        });
        return app;
    }
}
