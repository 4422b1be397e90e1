using System.Net;
using System.Net.Http.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Staff.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>A staff member's browser, as far as the tests need one: cookies, form tokens, uploads, following an import.</summary>
internal sealed class StaffSession(HttpClient client) : IDisposable
{
    public const string Password = "Quiet-Monday-2021";
    public const string TokenField = "__RequestVerificationToken";

    public HttpClient Client { get; } = client;

    /// <summary>A client that keeps cookies and does not follow redirects, over HTTPS since the staff cookies are secure-only.</summary>
    public static StaffSession Anonymous(WebApplicationFactory<Program> factory) =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        }));

    public static async Task CreateAccountAsync(WebApplicationFactory<Program> factory, string email, bool admin, string password = Password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var result = await StaffAccounts.CreateAsync(users, email, password, admin, TimeProvider.System);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    public static async Task<StaffSession> SignedInAsync(WebApplicationFactory<Program> factory, string email, bool admin = false)
    {
        await CreateAccountAsync(factory, email, admin);
        var session = Anonymous(factory);
        var response = await session.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/staff/login", "/staff/login", new() { ["Email"] = email, ["Password"] = password });

    public async Task<string> TokenAsync(string pageUrl)
    {
        var page = await Client.GetAsync(pageUrl);
        var document = await HtmlAsync(page);
        return document.QuerySelector($"input[name={TokenField}]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{pageUrl} ({page.StatusCode}) has no form token.");
    }

    /// <summary>Posts a form the way a browser would after loading the page that holds it.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string action, Dictionary<string, string> fields)
    {
        fields[TokenField] = await TokenAsync(pageUrl);
        return await Client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public async Task<HttpResponseMessage> UploadAsync(byte[] file, string fileName, string? week, bool withToken = true)
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
            form.Add(new StringContent(await TokenAsync("/staff/imports/new")), TokenField);
        form.Add(new StringContent(week ?? ""), "WeekStart");
        form.Add(new ByteArrayContent(file), "File", fileName);
        return await Client.PostAsync("/staff/imports", form);
    }

    /// <summary>
    /// Sends a week's publish form as a browser would with every box on it ticked: the form token, and
    /// each confirmation the review shows (earlier drafts, the warnings' acknowledgement).
    /// </summary>
    public async Task<HttpResponseMessage> PublishTickingEveryBoxAsync(string week)
    {
        var page = await PageAsync($"/staff/weeks/{week}");
        var form = page.QuerySelector("[data-testid=publish-form]") ?? throw new InvalidOperationException($"The week {week} has no publish form.");
        var fields = form.QuerySelectorAll("input[name]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? "on"))
            .ToList();
        return await Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    /// <summary>Uploads and returns the new import's id, from the redirect to its page.</summary>
    public async Task<long> UploadExpectingImportAsync(byte[] file, string fileName, string? week)
    {
        var response = await UploadAsync(file, fileName, week);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/staff/imports/", location, StringComparison.Ordinal);
        return long.Parse(location["/staff/imports/".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls the progress endpoint, as the page's script does, until the scheduler's job has finished the import.</summary>
    public async Task<ProgressReply> WaitForImportAsync(long importId)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var progress = await Client.GetFromJsonAsync<ProgressReply>($"/staff/imports/{importId}/progress");
            if (progress!.Finished)
                return progress;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Import {importId} did not finish.");
    }

    /// <summary>Uploads a file and follows its load to the end, as staff do from the upload form to the import's page.</summary>
    public async Task<(long Id, ProgressReply Progress)> UploadAndWaitAsync(byte[] file, string fileName, string? week)
    {
        var id = await UploadExpectingImportAsync(file, fileName, week);
        return (id, await WaitForImportAsync(id));
    }

    /// <summary>Uploads a file that must load (a draft, or a replacement beside its published week) and returns the import's id.</summary>
    public async Task<long> UploadLoadedAsync(byte[] file, string fileName, string? week)
    {
        var (id, progress) = await UploadAndWaitAsync(file, fileName, week);
        Assert.Equal("loaded", progress.State);
        return id;
    }

    public async Task<IDocument> PageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        return await HtmlAsync(response);
    }

    public static async Task<IDocument> HtmlAsync(HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    public void Dispose() => Client.Dispose();

    public sealed record ProgressReply(string State, int RowsRead, bool Finished);
}
