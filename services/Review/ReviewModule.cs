using Permits.Review.Consumers;
using Permits.Review.Domain;
using Permits.Review.Features;
using Permits.Review.Grpc;
using Permits.Review.Workers;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;

namespace Permits.Review;

/// <summary>County review cases: queues, officer actions and the legal deadline clock.</summary>
public sealed class ReviewModule : IServiceModule
{
    public static string Name => "Review";
}

public static class ReviewModuleExtensions
{
    /// <summary>
    /// Configuration: Review:Deadlines:Enabled (true), Review:Deadlines:PollSeconds (60),
    /// Review:Deadlines:WarningWorkingDays (2), Review:Claims:LeaseMinutes (30); Services:Identity:Url (who officers are); officers' access tokens are trusted
    /// through Identity:Authority or Identity:Issuer + Identity:SigningKeys (see AddPermitsAuthentication).
    /// </summary>
    public static WebApplicationBuilder AddReviewService(this WebApplicationBuilder builder)
    {
        builder.AddPermitsAuthentication(PermitsAudiences.Review);
        builder.AddServiceDatabase<ReviewModule>();
        builder.AddConsumers<ReviewModule>(consumers =>
        {
            consumers.Add<ApplicationSubmittedConsumer>();
            consumers.Add<ApplicationResubmittedConsumer>();
            consumers.Add<ShipmentDeliveredConsumer>();
            consumers.Add<DocumentServedConsumer>();
            consumers.Add<CertificateIssuedConsumer>();
            consumers.Add<CertificateRevokedConsumer>();
            consumers.Add<LicencesImportedConsumer>();
            consumers.Add<ServiceRatedConsumer>();
            consumers.Add<HolidayCalendarPublishedConsumer>();
        });
        var section = builder.Configuration.GetSection("Review:Deadlines");
        var services = builder.Services;
        services.AddSingleton(new ClockLimits(WarningWorkingDays: section.GetValue("WarningWorkingDays", 2)));
        services.AddSingleton(sp => new LegalClock(sp.GetRequiredService<WorkingDayCalendar>(), sp.GetRequiredService<ClockLimits>()));
        services.AddSingleton(new DeadlineWatcherSettings(
            section.GetValue("Enabled", true), TimeSpan.FromSeconds(section.GetValue("PollSeconds", 60.0))));
        services.AddSingleton<DeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineWatcher>());
        services.AddSingleton<CaseView>();
        services.AddScoped<CaseAction>();
        services.AddScoped<CaseQueries>();
        services.AddScoped<AcceptApplication>();
        services.AddScoped<ApproveLicence>();
        services.AddScoped<RefuseApplication>();
        services.AddScoped<RequestCorrection>();
        services.AddScoped<ExtendDecisionPeriod>();
        services.AddSingleton(new ClaimSettings(TimeSpan.FromMinutes(builder.Configuration.GetValue("Review:Claims:LeaseMinutes", 30.0))));
        services.AddScoped<ClaimCases>();
        services.AddScoped<RecordInspection>();
        // Identity owns officer accounts: asked who the second inspector of a site visit is.
        services.AddServiceReadClient<Permits.Contracts.Identity.V1.Officers.OfficersClient>(
            SecondInspectors.ClientName, "Services:Identity:Url");
        services.AddSingleton<SecondInspectors>();
        services.AddScoped<RecordOpinion>();
        services.AddSingleton(_ => LayoutRules.LoadEmbedded());
        services.AddSingleton<CountyReviewSettings>();
        services.AddScoped<ReviewSettingsAdmin>();
        services.AddScoped<SiteLayout>();
        services.AddScoped<DecisionGate>();
        services.AddScoped<CheckLayout>();
        services.AddScoped<CaseFiles>();
        services.AddScoped<AssignCase>();
        services.AddScoped<RequestExtension>();
        services.AddScoped<DeclineExtension>();
        services.AddScoped<DeadlineBoards>();
        services.AddScoped<RatingFollowUps>();
        services.AddSingleton(_ => RefusalGrounds.LoadEmbedded());
        services.AddScoped<ListRefusalGrounds>();
        services.AddScoped<HolidayCalendars>();
        return builder;
    }

    public static WebApplication MapReviewService(this WebApplication app)
    {
        app.MapGrpcService<CasesService>();
        return app;
    }
}
