using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Web.Features;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Features.Staff.Jobs;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Serilog;

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
        builder.Logging.ClearProviders().AddSerilog(CreateLogger(builder.Configuration, forVerb), dispose: true);

        builder.Services
            .AddRegistryData(builder.Configuration)
            .AddImports()
            .AddJobs(builder.Configuration, runServer: !forVerb)
            .AddRegistryHealth()
            .AddRegistryLanguages()
            .AddRegistryErrors(builder.Configuration)
            .AddRegistryOutputCache(builder.Configuration)
            .AddRegistryApiAccess(builder.Configuration)
            .AddRegistryApiDocument()
            .AddRegistryDataProtection()
            .AddRegistryProxyHeaders(builder.Configuration)
            .AddStaffArea();
        builder.Services.AddControllersWithViews().AddFeatureFolders();
        return builder;
    }

    /// <summary>
    /// Levels come from the Serilog section; the console speaks JSON (one object a line, for log
    /// collectors) when Serilog:ConsoleFormat is "json", as in Production, and readable text otherwise.
    /// </summary>
    private static Serilog.Core.Logger CreateLogger(ConfigurationManager configuration, bool toStandardError)
    {
        var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration);
        // Below this level lines go to standard output; the lowest level sends them all to standard error.
        Serilog.Events.LogEventLevel? standardErrorFrom = toStandardError ? Serilog.Events.LogEventLevel.Verbose : null;
        Serilog.Formatting.ITextFormatter format = string.Equals(configuration["Serilog:ConsoleFormat"], "json", StringComparison.OrdinalIgnoreCase)
            ? new Serilog.Formatting.Json.JsonFormatter(renderMessage: true)
            : new Serilog.Formatting.Display.MessageTemplateTextFormatter(
                "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}");
        logger.WriteTo.Sink(new BatchedConsoleSink(format, standardErrorFrom));
        return logger.CreateLogger();
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
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseRegistryLanguages();
        app.UseRegistryErrors();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRegistryApiAccess();
        // Signed-in users are known before the cache decides, so their pages are never stored.
        app.UseStaffArea();
        app.UseRegistryOutputCache();
        app.MapRegistryHealth();
        app.MapRegistryApiDocument();
        app.MapControllers();
        app.MapJobsDashboard();
        return app;
    }
}
