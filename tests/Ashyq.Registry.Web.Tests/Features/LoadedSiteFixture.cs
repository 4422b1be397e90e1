using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// The opening the public pages' fixtures share: the real site over a database of its own, started once
/// per test class with the fixture's weeks loaded through the real pipeline, and read as a visitor would.
/// </summary>
public abstract class LoadedSiteFixture : IAsyncLifetime
{
    public RegistryWebFactory Site { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        await LoadWeeksAsync();
    }

    /// <summary>Loads the fixture's weeks into the site just started.</summary>
    protected abstract Task LoadWeeksAsync();

    public Task Load(string week, ExportBuilder file, bool publish = true) => Load(week, file.ToBytes(), publish);

    /// <summary>Loads a week's file and publishes it unless told not to; a file that does not load stops the fixture.</summary>
    public async Task Load(string week, byte[] file, bool publish = true)
    {
        var outcome = await Site.ImportAsync(file, week, publish);
        if (outcome.State != ImportStates.Loaded)
            throw new InvalidOperationException($"The week {week} did not load: {outcome.State}");
    }

    /// <summary>A visitor's client: no cookies kept, no redirects followed, in the language given (the site's default without one).</summary>
    public HttpClient Client(string? language = null)
    {
        var client = Site.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        if (language is not null)
            client.DefaultRequestHeaders.Add("Cookie", $"lang={language}");
        return client;
    }

    /// <summary>Gets a page and parses it, failing with the body when the status is not the expected one.</summary>
    public async Task<IDocument> PageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK, HttpClient? client = null)
    {
        using var own = client is null ? Client() : null;
        var response = await (client ?? own!).GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{url}: {(int)response.StatusCode}\n{html}");
        return await new HtmlParser().ParseDocumentAsync(html);
    }

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}
