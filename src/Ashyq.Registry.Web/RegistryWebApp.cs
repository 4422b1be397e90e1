using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Web.Features;
using Ashyq.Registry.Web.Features.Follow;
using Ashyq.Registry.Web.Features.Replies;
using Ashyq.Registry.Web.Features.Search;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Features.Staff.Jobs;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web;

/// <summary>Composes the site: one line per area, each wired by an extension beside its code.</summary>
public static class RegistryWebApp
{
    /// <param name="forVerb">
    /// For a command-line verb: no scheduler, and every log line goes to standard error, so that standard
    /// output carries the verb's own result only (the JSON of <c>import --json</c> stays parseable).
    /// </param>
    public static WebApplicationBuilder CreateBuilder(string[] args, bool forVerb = false)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        builder.AddRegistryLogging(forVerb);

        builder.Services
            .AddRegistryData(builder.Configuration)
            .AddImports()
            .AddJobs(builder.Configuration, runServer: !forVerb)
            .AddRegistryHealth()
            .AddRegistryLanguages()
            .AddRegistryErrors(builder.Configuration)
            .AddRegistryOutputCache(builder.Configuration)
            .AddRegistryHttpCaching(builder.Configuration)
            .AddRegistryCompression()
            .AddRegistryApiAccess(builder.Configuration)
            .AddRegistryApiDocument()
            .AddRegistryDataProtection()
            .AddRegistryProxyHeaders(builder.Configuration)
            .AddRegistrySecurityHeaders(builder.Configuration)
            .AddRegistryPublicAddress(builder.Configuration)
            .AddFollowFeature()
            .AddStaffArea(builder.Configuration)
            .AddBusinessReplies(builder.Configuration)
            .AddPublicSearch(builder.Configuration);
        Features.Data.OpenDataFiles.AddOpenData(builder.Services, builder.Configuration);
        builder.Services.AddControllersWithViews().AddFeatureFolders()
            .AddJsonOptions(json =>
            {
                json.JsonSerializerOptions.Encoder = PublicJson.Encoder;
                json.JsonSerializerOptions.NumberHandling = PublicJson.NumberHandling;
            });
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Encoder = PublicJson.Encoder;
            json.SerializerOptions.NumberHandling = PublicJson.NumberHandling;
        });
        // Kestrel's own refusals (a request line, header or body over its limits) are written before
        // any of the site runs: they carry no body, and now no product name either (docs/deployment.md).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    public static WebApplication Build(string[] args)
    {
        var app = CreateBuilder(args).Build();
        // Fails start-up now, naming the setting, when the connection string is missing or malformed.
        _ = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        // Fails start-up when a text lacks a language or is defined twice.
        _ = app.Services.GetRequiredService<Texts>();

        app.UseRegistryProxyHeaders(app.Configuration);
        app.UseRegistrySecurityHeaders();
        app.UseRegistryRequestLogging();
        app.UseRegistryHeadRequests();
        app.UseRegistryCompression();
        app.UseRegistryLanguages();
        app.UseRegistryReadingModes();
        app.UseRegistryErrors();
        app.UseRegistryStaticFiles();
        app.UseRegistryStaffNoStore();
        app.UseRegistryWeekRedirects();
        app.UseRouting();
        app.UseRegistryApiAccess();
        // Signed-in users are known before the cache decides, so their pages are never stored.
        app.UseStaffArea();
        app.UseRegistryHttpCaching();
        app.UseRegistryOutputCache();
        app.UseRegistryEntityTags();
        app.MapRegistryHealth();
        app.MapRegistryApiDocument();
        app.MapControllers();
        app.MapJobsDashboard();
        return app;
    }
}
