using Permits.Disclosure.Requests;
using Permits.Shared.Domain;
using Permits.Shared.Security;

// In the service's namespace, so DisclosureModule needs no using for the two calls.
namespace Permits.Disclosure;

/// <summary>依申请公开 inside the Disclosure service: filing and following (public), the clerk's desk, and the figures.</summary>
public static class DisclosureRequestsModule
{
    /// <summary>
    /// Registers the request handling and <see cref="IRequestYearFigures"/>. The desk trusts access tokens through
    /// Identity:Authority or Identity:Issuer + Identity:SigningKeys (audience permits-disclosure, role disclosure-clerk).
    /// </summary>
    public static WebApplicationBuilder AddDisclosureRequests(this WebApplicationBuilder builder)
    {
        builder.AddPermitsAuthentication(PermitsAudiences.Disclosure);
        var services = builder.Services;
        services.AddSingleton(new RequestLimits());
        services.AddSingleton(sp => new RequestClock(sp.GetRequiredService<WorkingDayCalendar>(), sp.GetRequiredService<RequestLimits>()));
        services.AddScoped<FileRequest>();
        services.AddScoped<FollowRequest>();
        services.AddScoped<DeskQueries>();
        services.AddScoped<DeskSteps>();
        services.AddScoped<DeskCorrection>();
        services.AddScoped<DeskConsultation>();
        services.AddScoped<DeskAnswer>();
        services.AddScoped<DeskAppeals>();
        services.AddSingleton<IRequestYearFigures, RequestFigures>();
        return builder;
    }

    public static WebApplication MapDisclosureRequests(this WebApplication app)
    {
        app.MapGrpcService<InformationRequestsService>();
        app.MapGrpcService<InformationRequestDeskService>();
        return app;
    }
}
