using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ashyq.Registry.Fuzz;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Uploads that are broken or put together carelessly: each answered with a message in the staff member's language.</summary>
public sealed class UploadHardeningTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime, IDisposable
{
    private const string Week = "2021-07-19";

    private readonly string _dir = Directory.CreateTempSubdirectory("ashyq-upload-hardening").FullName;

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        // The closing boundary never comes: the body ends inside the file.
        { "multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"File\"; filename=\"week.csv\"\r\n\r\nБИН;Наименование", "ru" },
        // A section whose headers never end.
        { "multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"WeekStart\"", "kk" },
        // No boundary at all.
        { "multipart/form-data", "--XyZ\r\n\r\n--XyZ--\r\n", "en" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Upload_MalformedMultipart_Answers400WithAMessageInTheStaffsLanguage(string contentType, string body, string language)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");
        await staff.PageAsync($"/staff/imports/new?lang={language}");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await staff.Client.PostAsync("/staff/imports", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=upload-problem]")?.TextContent ?? "";
        var expected = language switch
        {
            "ru" => "Форма загрузки пришла повреждённой",
            "kk" => "Жүктеу формасы бүлінген",
            _ => "The upload form arrived damaged",
        };
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM imports"));
    }

    [Theory]
    [InlineData("ru", "строк в UTF-8 (строки 5, 9, 13, 17, 21, …)")]
    [InlineData("kk", "жол UTF-8 кодтауында (5, 9, 13, 17, 21, … жолдар)")]
    [InlineData("en", "10 lines are UTF-8 (lines 5, 9, 13, 17, 21, …)")]
    public async Task Upload_CsvMixingEncodings_FailsNamingTheLines_InTheStaffsLanguage(string language, string expected)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var (importId, progress) = await staff.UploadAndWaitAsync(Hostile("csv-mixed-encodings"), "export.csv", Week);
        var page = await staff.PageAsync($"/staff/imports/{importId}?lang={language}");

        Assert.Equal("failed", progress.State);
        var error = page.QuerySelector("[data-testid=import-error]")!.TextContent;
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Windows-1251", error, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM week_rows"));
    }

    [Fact]
    public async Task Upload_TwentyThousandUnknownColumns_LoadsWithOneWarningThatCountsThem()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var (importId, progress) = await staff.UploadAndWaitAsync(Hostile("csv-20k-unknown-columns"), "export.csv", Week);
        var response = await staff.Client.GetAsync($"/staff/imports/{importId}?lang=en");
        var html = await response.Content.ReadAsStringAsync();
        var page = await StaffSession.HtmlAsync(response);

        Assert.Equal("loaded", progress.State);
        // The file has the required columns only: besides the unknown ones, it says the two figure columns are missing.
        Assert.Equal(["district_column_missing", "flagged_column_missing", "unknown_columns"],
            page.QuerySelectorAll("[data-testid=file-messages] li").Select(li => li.GetAttribute("data-code")).Order(StringComparer.Ordinal));
        var warning = page.QuerySelector("[data-testid=file-messages] li[data-code=unknown_columns]")!;
        Assert.Contains("20,000 columns of the file are not part of the weekly export", warning.TextContent, StringComparison.Ordinal);
        Assert.Contains("'Лишняя колонка 9' and 19,990 more", warning.TextContent, StringComparison.Ordinal);
        Assert.True(html.Length < 100_000, $"The page is {html.Length:N0} characters.");
    }

    private byte[] Hostile(string name)
    {
        var hostile = HostileExportFiles.All.Single(file => file.Name == name);
        var path = Path.Combine(_dir, name + Path.GetExtension(hostile.FileName));
        hostile.Write(path);
        return File.ReadAllBytes(path);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
