using Permits.Review.Consumers;
using Permits.Review.Features;
using Permits.Review.Grpc;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

namespace Permits.Review;

/// <summary>County review cases: queues, officer actions and the legal deadline clock.</summary>
public sealed class ReviewModule : IServiceModule
{
    public static string Name => "Review";
}

public static class ReviewModuleExtensions
{
    public static WebApplicationBuilder AddReviewService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ReviewModule>();
        builder.AddConsumers<ReviewModule>(consumers => consumers.Add<ApplicationSubmittedConsumer>());
        builder.Services.AddScoped<CaseQueries>();
        builder.Services.AddScoped<AcceptApplication>();
        builder.Services.AddScoped<ApproveLicence>();
        return builder;
    }

    public static WebApplication MapReviewService(this WebApplication app)
    {
        app.MapGrpcService<CasesService>();
        return app;
    }
}
