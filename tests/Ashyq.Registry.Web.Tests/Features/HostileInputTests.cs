using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// What a careless or hostile input does: weeks at the ends of the calendar, control characters in a
/// business name, NUL and huge numbers in addresses. Nothing of it may end in a 500.
/// </summary>
public sealed class HostileInputTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(301);
    private static readonly string B = ExportBuilder.BinFor(302);
    private static readonly string C = ExportBuilder.BinFor(303);

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("9999-12-27", "en", "too far ahead")]
    [InlineData("9999-12-27", "ru", "слишком далеко впереди")]
    [InlineData("9999-12-27", "kk", "тым алыс алда")]
    [InlineData("0001-01-01", "en", "before the registry's first week")]
    [InlineData("0001-01-01", "ru", "раньше первой недели реестра")]
    [InlineData("2019-12-30", "kk", "алғашқы аптасынан")]
    public async Task Upload_WeekOutsideTheBounds_IsRefusedInTheStaffsLanguage_NothingStored(string week, string language, string expected)
    {
        using var staff = await StaffSession.SignedInAsync(factory, $"weeks-{language}@ashyq.local");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var response = await staff.UploadAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "export.csv", week);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=upload-problem]");
        Assert.NotNull(problem);
        Assert.Contains(expected, problem.TextContent, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM imports"));
    }

    [Fact]
    public async Task StoredWeeksAtTheCalendarsEnds_NoPageAnswers500_AndTheWeekCanStillBeWithdrawn()
    {
        // Weeks stored before the bounds existed: loaded and published through the real upload, then
        // moved to the first and last Mondays both PostgreSQL's date and .NET's DateOnly can hold.
        using var staff = await StaffSession.SignedInAsync(factory, "ends@ashyq.local");
        foreach (var (week, status) in new[] { ("2021-07-05", "лидер"), ("2021-07-12", "аутсайдер"), ("2021-07-19", "исключен") })
        {
            await staff.UploadLoadedAsync(
                new ExportBuilder().Row(A, status, reason: "Отказ").Row(B, "лидер").Row(C, "аутсайдер").ToBytes(), $"week-{week}.csv", week);
            var published = await staff.PublishTickingEveryBoxAsync(week);
            Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
            Assert.Contains("done=published", published.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        await MoveWeekAsync("2021-07-05", "0001-01-01");
        await MoveWeekAsync("2021-07-19", "9999-12-27");

        string[] pages =
        [
            "/", "/leaders", "/outsiders", "/exclusions", "/leaders?week=9999-12-27", "/exclusions?week=0001-01-01",
            "/lists/leaders.csv", "/lists/excluded.xlsx", "/lists/outsiders.json?week=0001-01-01", "/lists/excluded.csv?week=9999-12-27",
            "/changes", "/changes?week=9999-12-27", "/changes?week=0001-01-01", "/statistics", "/statistics?week=0001-01-01",
            "/search?q=" + A, "/search?q=Кафе", "/feed.atom", "/about",
            $"/business/{A}", $"/business/{A}/feed.atom", $"/business/{A}/badge.svg", $"/business/{C}",
            "/api/v1/weeks", "/api/v1/weeks/2021-07-12", $"/api/v1/businesses/{A}", "/api/v1/lists/excluded", "/api/v1/lists/leaders?week=2021-07-12",
        ];
        await AssertNo500Async(factory.CreateClient(), pages);
        await AssertNo500Async(staff.Client,
            ["/staff/weeks", "/staff/weeks/9999-12-27", "/staff/weeks/0001-01-01", "/staff/weeks/2021-07-12", "/staff/imports", "/staff/imports/3", "/staff/audit"]);

        var anyClient = factory.CreateClient();
        Assert.Equal("9999-12-31", JsonDocument.Parse(await anyClient.GetStringAsync("/api/v1/weeks"))
            .RootElement.GetProperty("items")[0].GetProperty("weekEnd").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await anyClient.GetAsync("/api/v1/weeks/9999-12-27")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anyClient.GetAsync("/api/v1/lists/leaders?week=0001-01-01")).StatusCode);

        var withdrawn = await staff.PostFormAsync("/staff/weeks/9999-12-27", "/staff/weeks/9999-12-27/withdraw", new() { ["reason"] = "Год введён с ошибкой" });
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Equal("withdrawn", await ScalarAsync<string>("SELECT status FROM weeks WHERE week_start = '9999-12-27'"));
        await staff.PageAsync("/staff/weeks");
    }

    [Fact]
    public async Task Upload_ControlCharacterInAName_IsRemovedWithAWarning_TheFeedAndDownloadsServeIt()
    {
        const string Week = "2021-07-19";
        using var staff = await StaffSession.SignedInAsync(factory, "chars@ashyq.local");
        var file = new ExportBuilder().Row(A, "лидер", name: "Кафе\u000B «Звезда»").Row(B, "лидер", name: "Ресторан\u0085 «Бота»").ToBytes();

        var id = await staff.UploadLoadedAsync(file, "export.csv", Week);
        var import = await staff.PageAsync($"/staff/imports/{id}");
        await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);

        Assert.Equal(2, import.QuerySelectorAll("[data-testid=row-warnings] tbody tr").Length);
        Assert.Equal("Кафе «Звезда»", await ScalarAsync<string>($"SELECT name FROM businesses WHERE bin = '{A}'"));
        var feed = await factory.CreateClient().GetAsync($"/business/{A}/feed.atom");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("Кафе «Звезда»", XDocument.Parse(await feed.Content.ReadAsStringAsync()).ToString(), StringComparison.Ordinal);
        var csv = await staff.Client.GetStringAsync($"/staff/imports/{id}/messages.csv");
        Assert.Contains("control_characters", csv, StringComparison.Ordinal);
        Assert.DoesNotContain('\u000B', csv);
    }

    [Fact]
    public async Task StoredNameWithControlCharacters_FeedsAndSpreadsheetsStillServeValidXml()
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер", name: "Кафе «Звезда»").Row(B, "аутсайдер").ToBytes(), "2021-07-19");
        // A row loaded before the rule existed.
        await ExecuteAsync($"""
            UPDATE businesses SET name = 'Кафе' || chr(11) || ' «Звезда»' || chr(127) WHERE bin = '{A}';
            UPDATE week_rows SET name = 'Кафе' || chr(11) || ' «Звезда»' || chr(127) WHERE bin = '{A}';
            """);
        await EvictCachedPagesAsync();
        var client = factory.CreateClient();

        var feed = await client.GetAsync($"/business/{A}/feed.atom");
        var sheet = await client.GetAsync("/lists/leaders.xlsx");
        var page = await client.GetAsync($"/business/{A}");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("Кафе «Звезда»", XDocument.Parse(await feed.Content.ReadAsStringAsync()).ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        using var zip = new System.IO.Compression.ZipArchive(await sheet.Content.ReadAsStreamAsync());
        var xml = zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .Select(e => { using var s = new StreamReader(e.Open()); return s.ReadToEnd(); });
        Assert.All(xml, x => XDocument.Parse(x));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    public static TheoryData<string> UnusableAddresses => new()
    {
        "/search?q=%00", "/search?q=%0B", "/search?q=Кафе&page=%00", "/leaders?q=%00", "/outsiders?q=%00", "/exclusions?q=a%00b",
        "/leaders?week=%00", "/leaders?category=%00", "/leaders?district=%01", "/leaders?sort=%00", "/leaders?page=%00",
        "/lists/outsiders.csv?q=%00", "/lists/leaders.xlsx?q=%00", "/lists/leaders.json?week=%00", "/changes?week=%00",
        "/statistics?week=%7F", "/feed.atom?x=%00", "/?q%00=1", "/business/" + ExportBuilder.BinFor(301) + "?q=%00",
        "/api/v1/lists/leaders?q=%00", "/api/v1/lists/leaders?week=%00", "/api/v1/lists/leaders?page=%00", "/api/v1/weeks?q=%1F", "/search?q=%C2%85",
    };

    [Theory]
    [MemberData(nameof(UnusableAddresses))]
    public async Task Get_AddressWithAControlCharacter_Is400WithTheSitesErrorPage(string url)
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").Row(B, "аутсайдер").ToBytes(), "2021-07-19");

        var response = await factory.CreateClient().GetAsync(url);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}\n{body}");
        if (url.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(400, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        }
        else
        {
            Assert.Equal("400", new HtmlParser().ParseDocument(body).QuerySelector("[data-testid=error-page]")?.GetAttribute("data-status"));
        }
    }

    public static TheoryData<string> OddButHarmlessAddresses => new()
    {
        "/business/%2500/badge.svg", "/business/%2500", "/business/%2500/feed.atom", "/api/v1/businesses/%2500",
        "/search?q=%25", "/search?q=%ED%A0%80", "/search?q=Кафе&page=2147483647", "/search?q=Кафе&page=-2147483648",
        "/search?q=Кафе&page=99999999999", "/leaders?page=2147483647", "/outsiders?page=-1", "/exclusions?page=1e9",
        "/leaders?week=9999-12-27", "/leaders?week=0001-01-01", "/changes?week=9999-12-31", "/statistics?week=10000-01-03",
        "/lists/leaders.csv?page=2147483647", "/api/v1/lists/leaders?page=2147483647&pageSize=2147483647",
        "/api/v1/lists/leaders?page=-2147483648&pageSize=-1", "/api/v1/weeks/9999-12-27", "/api/v1/weeks/0001-01-01",
        "/api/v1/weeks/2019-12-30", "/api/v1/lists/leaders?week=9999-12-27",
    };

    [Theory]
    [MemberData(nameof(OddButHarmlessAddresses))]
    public async Task Get_OddPageNumberDateOrText_NeverAnswers500(string url)
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").Row(B, "аутсайдер").ToBytes(), "2021-07-19");

        var response = await factory.CreateClient().GetAsync(url);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{url}: {(int)response.StatusCode}\n{body}");
        Assert.NotEmpty(body);
    }

    [Theory]
    [InlineData("/api/v1/weeks/9999-12-27")]
    [InlineData("/api/v1/weeks/0001-01-01")]
    [InlineData("/api/v1/weeks/2019-12-30")]
    [InlineData("/api/v1/lists/leaders?week=9999-12-27")]
    [InlineData("/api/v1/lists/outsiders?week=2019-12-30")]
    public async Task Get_ApiWeekOutsideTheBounds_IsA400Problem(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Not a reporting week", problem.RootElement.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/staff/audit?page=2147483647")]
    [InlineData("/staff/audit?page=-2147483648")]
    [InlineData("/staff/imports?page=2147483647")]
    [InlineData("/staff/audit?to=9999-12-31")]
    [InlineData("/staff/audit?from=0001-01-01&to=9999-12-31&page=2147483647")]
    [InlineData("/staff/audit?from=9999-12-31")]
    [InlineData("/staff/audit.csv?to=9999-12-31")]
    [InlineData("/staff/audit?to=10000-01-01")]
    public async Task Get_StaffListWithExtremePageOrDate_IsAnsweredNot500(string url)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "paging@ashyq.local");

        var response = await staff.Client.GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("/staff/audit?text=%00")]
    [InlineData("/staff/audit?actor=%00")]
    [InlineData("/staff/audit.csv?text=%00")]
    [InlineData("/staff/imports?page=%00")]
    public async Task Get_StaffPageWithNul_Is400(string url)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "nul@ashyq.local");

        var response = await staff.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_StaffFormWithNul_Is400_NothingChanged()
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-19");
        using var staff = await StaffSession.SignedInAsync(factory, "form@ashyq.local");

        var response = await staff.PostFormAsync("/staff/weeks/2021-07-19", "/staff/weeks/2021-07-19/withdraw", new() { ["reason"] = "ошибка\0" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("published", await ScalarAsync<string>("SELECT status FROM weeks WHERE week_start = '2021-07-19'"));
    }

    [Fact]
    public void StaffPaging_AnyPage_HasAnOffsetThatFitsAnInt()
    {
        Assert.Equal(1, StaffPaging.Clamp(int.MinValue, 100));
        Assert.True(((long)StaffPaging.Clamp(int.MaxValue, 100) - 1) * 100 <= int.MaxValue);
    }

    private static async Task AssertNo500Async(HttpClient client, IEnumerable<string> urls)
    {
        var failures = new List<string>();
        foreach (var url in urls)
        {
            var response = await client.GetAsync(url);
            if ((int)response.StatusCode >= 500 || (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsByteArrayAsync()).Length == 0))
                failures.Add($"{url}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Moves a loaded week, its rows, counts, history and import to another Monday, as if it had been stored there.</summary>
    private async Task MoveWeekAsync(string from, string to)
    {
        var partition = $"week_rows_moved_{to.Replace("-", "", StringComparison.Ordinal)}";
        await ExecuteAsync($"""
            BEGIN;
            CREATE TABLE {partition} (LIKE week_rows INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
            ALTER TABLE week_rows ATTACH PARTITION {partition} FOR VALUES IN ('{to}');
            DO $move$
            DECLARE
                t text;
                columns text;
            BEGIN
                FOREACH t IN ARRAY ARRAY['weeks', 'week_counts', 'business_weeks', 'week_rows'] LOOP
                    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO columns
                    FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = t AND is_generated = 'NEVER' AND column_name <> 'week_start';
                    EXECUTE format('INSERT INTO %I (week_start, %s) SELECT %L::date, %s FROM %I WHERE week_start = %L::date',
                                   t, columns, '{to}', columns, t, '{from}');
                END LOOP;
            END
            $move$;
            DELETE FROM week_rows WHERE week_start = '{from}';
            DELETE FROM business_weeks WHERE week_start = '{from}';
            DELETE FROM week_counts WHERE week_start = '{from}';
            UPDATE businesses SET first_listed_week = '{to}' WHERE first_listed_week = '{from}';
            UPDATE imports SET week_start = '{to}' WHERE week_start = '{from}';
            DELETE FROM weeks WHERE week_start = '{from}';
            COMMIT;
            """);
        await EvictCachedPagesAsync();
    }

    private ValueTask EvictCachedPagesAsync() =>
        factory.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PublicOutputCache.Tag, default);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
