using System.Diagnostics;
using System.Net.Sockets;
using Ashyq.Registry.Testing;
using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

/// <summary>
/// The real site, started as its own process on a free port over a fresh database loaded with the demo
/// weeks, and Debian's Chromium driven by Playwright. One per collection: the public pages' tests share one,
/// and tests that change the data (a staff member publishing) have their own, so that no test's figures
/// depend on whether a publish ran before it.
/// </summary>
public class SiteFixture : IAsyncLifetime
{
    public const string StaffEmail = "browser@ashyq.test";
    public const string StaffPassword = "Browser-Tests-Passw0rd!";

    private Process? _site;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    public static string AxeScriptPath { get; } = Path.Combine(TestCluster.RepositoryRoot, "tests", "Ashyq.Registry.BrowserTests", "node_modules", "axe-core", "axe.min.js");

    public async Task InitializeAsync()
    {
        ConnectionString = await TestCluster.CreateDatabaseAsync("browser");
        await RunVerbAsync("seed-demo");
        await RunVerbAsync("create-staff", StaffEmail, "--admin");
        await PrepareAsync();

        // The site's stylesheet and scripts as the repository holds them (a published site carries its own copy).
        var webRoot = Path.Combine(TestCluster.RepositoryRoot, "src", "Ashyq.Registry.Web", "wwwroot");
        // A free port is only free when asked: if another process took it first the site exits, and starts again on another.
        for (var attempt = 1; ; attempt++)
        {
            BaseUrl = $"http://127.0.0.1:{FreePort()}";
            _site = Start($"--urls={BaseUrl}", $"--webroot={webRoot}");
            try
            {
                await WaitForReadyAsync();
                break;
            }
            catch (SiteExitedException) when (attempt < 3)
            {
                _site.Dispose();
            }
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_site is { HasExited: false })
        {
            _site.Kill(entireProcessTree: true);
            await _site.WaitForExitAsync();
        }
        _site?.Dispose();
    }

    /// <summary>
    /// A fresh browser context: a phone-sized one when asked, bypassing CSP only to inject the scanner
    /// (a test of the policy itself asks for it to be kept).
    /// </summary>
    public async Task<IPage> NewPageAsync(bool phone = false, string? locale = null, bool bypassCsp = true, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            ViewportSize = viewport ?? (phone ? new ViewportSize { Width = 320, Height = 640 } : new ViewportSize { Width = 1280, Height = 900 }),
            IsMobile = phone,
            HasTouch = phone,
            Locale = locale ?? "ru-RU",
            BypassCSP = bypassCsp,
            AcceptDownloads = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>Settings the site and its verbs run with, beyond the database, the environment and <see cref="OneAddressSettings"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>
    /// Every browser test reaches its site from one address, so the limits per client address (staff sign-ins,
    /// replies) would count the whole suite as one person; the limits themselves are tested through HTTP.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> OneAddressSettings = new Dictionary<string, string>
    {
        ["Replies__PermitLimit"] = "10000",
        // Account lockout must stay above what one address may try (the site refuses to start otherwise).
        ["Staff__SignInPermitLimit"] = "200",
        ["Staff__LockoutFailures"] = "1000",
    };

    /// <summary>Runs after the demo weeks and the staff account are in place, before the site starts.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    protected async Task RunVerbAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{string.Join(' ', args)}' exited {process.ExitCode}: {await output}{await error}");
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Registry"] = ConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASHYQ_STAFF_PASSWORD"] = StaffPassword;
        foreach (var (name, value) in OneAddressSettings.Concat(Settings))
            start.Environment[name] = value;
        start.WorkingDirectory = AppContext.BaseDirectory;
        return Process.Start(start)!;
    }

    private async Task WaitForReadyAsync()
    {
        _site!.OutputDataReceived += (_, _) => { };
        _site.ErrorDataReceived += (_, _) => { };
        _site.BeginOutputReadLine();
        _site.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_site.HasExited)
                throw new SiteExitedException($"The site exited with {_site.ExitCode} while starting.");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The site did not become ready within 60 s.");
            await Task.Delay(250);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<SiteFixture>
{
    public const string Name = "The running site";
}

/// <summary>A site of its own for the journeys that publish or withdraw.</summary>
public sealed class ChangingSiteFixture : SiteFixture;

[CollectionDefinition(Name)]
public sealed class ChangingSiteCollection : ICollectionFixture<ChangingSiteFixture>
{
    public const string Name = "A site whose data the tests change";
}

/// <summary>
/// A site of its own under the second-person rule, with two staff accounts that are not Admins: one
/// uploads, the other publishes.
/// </summary>
public sealed class FourEyesSiteFixture : SiteFixture
{
    public const string UploaderEmail = "uploader@ashyq.test";
    public const string ColleagueEmail = "colleague@ashyq.test";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Publishing__RequireSecondPerson"] = "true",
        // The replacement journey reads the public list as fast as it can while the new version is published;
        // on a fast machine that is more than the API's default 120 a minute, and a 429 says nothing about the hand-over.
        ["ApiRateLimit__PermitLimit"] = "1000000",
    };

    protected override async Task PrepareAsync()
    {
        await RunVerbAsync("create-staff", UploaderEmail);
        await RunVerbAsync("create-staff", ColleagueEmail);
    }
}

[CollectionDefinition(Name)]
public sealed class FourEyesSiteCollection : ICollectionFixture<FourEyesSiteFixture>
{
    public const string Name = "A site under the second-person rule";
}

/// <summary>
/// A site of its own that mails through a real mail server on loopback: the follow pages exist only then.
/// Its tests follow, publish and unsubscribe, so it is kept apart from the public pages' site.
/// </summary>
public sealed class MailSiteFixture : SiteFixture
{
    private readonly Dictionary<string, string> _settings = new()
    {
        ["Replies__PermitLimit"] = "1000",
        // The page checks subscribe from one address many times; the limit itself is tested through HTTP.
        ["Follow__PermitLimit"] = "1000",
        ["Follow__RetryDelaySeconds"] = "0",
    };

    public SmtpSink Mail { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => _settings;

    protected override async Task PrepareAsync()
    {
        Mail = await SmtpSink.StartAsync();
        foreach (var (key, value) in Mail.Settings)
            _settings[key.Replace(":", "__", StringComparison.Ordinal)] = value;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Mail is not null)
            await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MailSiteCollection : ICollectionFixture<MailSiteFixture>
{
    public const string Name = "A site that mails its followers";
}

internal sealed class SiteExitedException(string message) : Exception(message);
