using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.WebEncoders;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Portal.Security;
using Permits.Portal.Web;

namespace Permits.Portal;

/// <summary>
/// The web front for shopkeepers, officers and the public (网上办理). It owns nothing durable: every page asks the
/// services over gRPC.
/// </summary>
public static class PortalModuleExtensions
{
    /// <summary>Every back-end call gets this deadline: a person is waiting for the page.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        var addresses = ReadServiceAddresses(builder.Configuration);

        // Razor encodes everything outside Basic Latin by default; Chinese pages would be all &#x...; entities.
        // Markup-significant characters stay encoded whatever the ranges.
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

        builder.Services
            .AddRazorPages(options =>
            {
                options.Conventions.ConfigureFilter(new TypeFilterAttribute(typeof(PortalExceptionFilter)));
                options.Conventions.ConfigureFilter(new PortalResultFilter());
                if (PortalSignIn.IsEnabled(builder.Configuration))
                {
                    // Officer pages need a signed-in officer; Review trusts only the token their calls carry.
                    options.Conventions.AuthorizeFolder("/Officer", PortalPolicies.Officer);
                    // The review work's pages are not 政务公开's (who is sent to the disclosure desk instead); the
                    // deadline board is the head's.
                    foreach (var page in new[] { "/Officer/Index", "/Officer/Case" })
                    {
                        options.Conventions.AuthorizePage(page, PortalPolicies.CountyOfficer);
                    }

                    options.Conventions.AuthorizeFolder("/Officer/Shipments", PortalPolicies.CountyOfficer);
                    options.Conventions.AuthorizeFolder("/Officer/Licences", PortalPolicies.CountyOfficer);
                    options.Conventions.AuthorizePage("/Officer/Board", PortalPolicies.For(Permits.Shared.Security.PermitsRoles.Head));
                    options.Conventions.AuthorizeFolder("/Officer/DisclosureRequests", PortalPolicies.For(Permits.Shared.Security.PermitsRoles.DisclosureClerk));
                    options.Conventions.AuthorizeFolder("/Officer/AnnualReports", PortalPolicies.For(Permits.Shared.Security.PermitsRoles.DisclosureClerk));
                    options.Conventions.AuthorizeFolder("/Admin", PortalPolicies.For(Permits.Shared.Security.PermitsRoles.SystemAdmin));
                    // Applying and a shopkeeper's own applications need a signed-in shopkeeper.
                    options.Conventions.AuthorizeFolder("/My", PortalPolicies.Applicant);
                    options.Conventions.AuthorizePage("/Apply/Index", PortalPolicies.Applicant);
                }
            })
            // The pages must be found when another assembly (the embedded host) is the entry point.
            .AddApplicationPart(typeof(PortalModuleExtensions).Assembly);

        builder.AddPortalDataProtection();
        builder.AddPortalSignIn();
        if (PortalSignIn.IsEnabled(builder.Configuration))
        {
            // An officer page asked for sign-in: show Identity's officer page, not the shopkeepers' SMS one.
            builder.Services.PostConfigure<CookieAuthenticationOptions>(PortalSignIn.CookieScheme, cookie =>
            {
                var redirect = cookie.Events.OnRedirectToLogin;
                cookie.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/officer", StringComparison.OrdinalIgnoreCase)
                        || context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
                    {
                        context.RedirectUri = QueryHelpers.AddQueryString(context.RedirectUri, "kind", "officer");
                    }

                    return redirect(context);
                };
            });
        }

        AddClient<Applications.ApplicationsClient>(builder, addresses["Intake"]);
        builder.Services.AddSingleton<Pages.Apply.FormSpecs>();
        builder.Services.AddSingleton<Pages.Guide.GuideBook>();
        builder.Services.AddSingleton<Pages.Guide.CountyInForce>();
        AddClient<Cases.CasesClient>(builder, addresses["Review"]);
        // A county's exported register comes back in one message, and importing 100,000 licences takes longer than the
        // standard handler's 10 s attempt (see the administrator's register page, which sets the call's own deadline).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental
        AddClient<Certificates.CertificatesClient>(builder, addresses["Certificate"])
            .ConfigureChannel(channel => channel.MaxReceiveMessageSize = Pages.Admin.RegisterModel.MaxUploadBytes)
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = Pages.Admin.RegisterModel.LongCall;
                options.TotalRequestTimeout.Timeout = Pages.Admin.RegisterModel.LongCall;
                options.CircuitBreaker.SamplingDuration = 2 * Pages.Admin.RegisterModel.LongCall;
            });
#pragma warning restore EXTEXP0001
        AddClient<Shipments.ShipmentsClient>(builder, addresses["Delivery"]);
        AddClient<DisclosureLog.DisclosureLogClient>(builder, addresses["Disclosure"]);
        AddClient<InformationRequests.InformationRequestsClient>(builder, addresses["Disclosure"]);
        AddClient<InformationRequestDesk.InformationRequestDeskClient>(builder, addresses["Disclosure"]);
        AddClient<AnnualReports.AnnualReportsClient>(builder, addresses["Disclosure"]);
        // Identity's officer list (handing a case to a colleague) is optional: without it the queue offers only 交回, and
        // the administrator's officer accounts page says it cannot reach Identity.
        if (Uri.TryCreate(builder.Configuration["Services:Identity:Url"], UriKind.Absolute, out var identity))
        {
            AddClient<Permits.Contracts.Identity.V1.Officers.OfficersClient>(builder, identity);
            AddClient<Permits.Contracts.Identity.V1.OfficerAccounts.OfficerAccountsClient>(builder, identity);
        }

        // Notifications (the messages sent about a case) is optional too: without it the case page says so.
        if (Uri.TryCreate(builder.Configuration["Services:Notifications:Url"], UriKind.Absolute, out var notifications))
        {
            AddClient<Permits.Contracts.Notifications.V1.Messages.MessagesClient>(builder, notifications);
        }

        builder.Services.AddScoped<Pages.Officer.Colleagues>();
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UsePortalStatusPages();
        app.MapPortalAssets();
        app.MapPortalSignIn();
        app.MapPortalStart();
        app.MapRazorPages();
        return app;
    }

    private static Dictionary<string, Uri> ReadServiceAddresses(IConfiguration configuration)
    {
        string[] services = ["Intake", "Review", "Certificate", "Delivery", "Disclosure"];
        var addresses = new Dictionary<string, Uri>();
        var problems = new List<string>();
        foreach (var service in services)
        {
            var key = $"Services:{service}:Url";
            var value = configuration[key];
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{key} is missing");
            }
            else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"{key} '{value}' is not an absolute http(s) URL");
            }
            else
            {
                addresses[service] = uri;
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The Portal needs the gRPC address of every back-end service (e.g. Services__Intake__Url=http://127.0.0.1:5101): "
                + string.Join("; ", problems) + ".");
        }

        return addresses;
    }

    private static IHttpClientBuilder AddClient<TClient>(WebApplicationBuilder builder, Uri address)
        where TClient : class
    {
        return builder.Services
            .AddGrpcClient<TClient>(options =>
            {
                options.Address = address;
                options.CallOptionsActions.Add(context =>
                {
                    // Wall-clock time, not TimeProvider: a deadline is about the network, not the domain's calendar.
                    if (context.CallOptions.Deadline is null)
                    {
                        context.CallOptions = context.CallOptions.WithDeadline(DateTime.UtcNow.Add(CallDeadline));
                    }
                });
            });
    }
}
