using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Staff.Audit;
using Ashyq.Registry.Web.Features.Staff.Imports;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>The audit log's entries as sentences in the staff member's language, read from what the log stores.</summary>
public sealed class AuditLanguageTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private static readonly Texts Texts = new();

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> FormKeysByLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var key in AuditText.Forms.Select(f => f.Key).Concat(AuditText.Clauses.Keys.Select(c => AuditText.ClauseKeyPrefix + c)))
        {
            foreach (var language in Languages.All)
                data.Add(key, language);
        }
        return data;
    }

    [Fact]
    public void EveryActionTheLogCanHold_HasAFormThatReadsIt()
    {
        Assert.Empty(AuditText.CodesWithoutForm());
        Assert.All(AuditText.Forms, f => Assert.Contains(f.Code, AuditActions.All));
    }

    [Theory]
    [MemberData(nameof(FormKeysByLanguage))]
    public void EveryForm_HasItsTextInEachLanguage_WithExactlyTheValuesItReads(string key, string language)
    {
        Assert.True(Texts.Has(key), $"{key} has no text.");
        var expected = key.StartsWith(AuditText.ClauseKeyPrefix, StringComparison.Ordinal)
            ? AuditText.ClauseValues(key[AuditText.ClauseKeyPrefix.Length..])
            : AuditText.Forms.First(f => f.Key == key).Values;

        Assert.Equal(expected.Order(StringComparer.Ordinal), RowMessageText.Placeholders(Texts.Get(key, language)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("week.replace", "2021-07-19",
        "import 7 replaced by import 9: participants 50 → 52, leaders 5 → 6, outsiders 3 → 3, excluded 1 → 0; reason: wrong district; fixed; "
        + "an Admin published their own upload, overriding the second-person rule; confirmed warnings: change:participants, change:leaders",
        "Replaced the published week of 2021-07-19: import 7 by import 9; participants 50 → 52, leaders 5 → 6, outsiders 3 → 3, excluded 1 → 0; "
        + "reason: wrong district; fixed An Admin published their own upload, overriding the second-person rule. Warnings confirmed: “Participants” moved by more than the set share; “Leaders” moved by more than the set share.")]
    [InlineData("import.upload", "import 12", "export, week 2.csv, week 2021-07-19, 2048 bytes, sha256 ab12, same file as import 11",
        "Uploaded export, week 2.csv for the week of 2021-07-19 as import 12 (2048 bytes, SHA-256 ab12); it is the same file as import 11.")]
    [InlineData("import.load", "import 12", "week 2021-07-19: 60 rows loaded, 2 rejected; waiting beside the published version to replace it",
        "Import 12 for the week of 2021-07-19 loaded: 60 rows loaded, 2 rejected. It waits beside the published version to replace it.")]
    [InlineData("week.discard", "2021-07-19", "draft of import 4 discarded; the import and its stored file are kept",
        "Discarded the draft of the week of 2021-07-19 from import 4; the import and its stored file are kept.")]
    [InlineData("alias.remove", "alias \"кофейня\" → cafe", "14 stored rows re-mapped in 3 weeks",
        "Removed the alias “кофейня” of the category cafe; 14 stored rows re-mapped in 3 weeks.")]
    [InlineData("staff.sign-in-failed", "unknown account", null, "Sign-in failed: wrong email or password.")]
    public void StoredEntry_IsReadBackIntoItsSentence(string action, string subject, string? details, string sentence)
    {
        Assert.Equal(sentence, AuditText.Say(action, subject, details, Texts, "en"));
    }

    [Fact]
    public void EveryConfirmedWarningKind_HasItsWordsInEachLanguage()
    {
        foreach (var name in AuditText.WarningTexts)
        {
            foreach (var language in Languages.All)
                Assert.False(string.IsNullOrWhiteSpace(Texts.Get(AuditText.WarningKeyPrefix + name, language)), $"{name} in {language}");
        }
    }

    [Theory]
    [InlineData("ru", "Подтверждены предупреждения: «Исключены» изменились сильнее заданной доли; в категории «Общественное питание» не осталось участников; "
        + "в файле нет столбца района; заголовок файла называет другой период (с 2021-07-12); odd:key.")]
    [InlineData("kk", "Расталған ескертулер: «Шығарылғандар» белгіленген үлестен көп өзгерді; «Қоғамдық тамақтану» санатында қатысушы қалмады; "
        + "файлда аудан бағаны жоқ; файл тақырыбы басқа кезеңді атайды (2021-07-12 бастап); odd:key.")]
    public void ConfirmedWarnings_AreSaidInWords_WithTheCategorysName_AndAnUnknownKeyAsStored(string language, string clause)
    {
        var names = new AuditNames(new Dictionary<string, string> { ["catering"] = language == "kk" ? "Қоғамдық тамақтану" : "Общественное питание" },
            new Dictionary<string, string>());

        var sentence = AuditText.Say("week.publish", "2021-07-19",
            "confirmed warnings: change:excluded, category-zero:catering, column-missing:district, title-period:2021-07-12, odd:key", Texts, language, names);

        Assert.NotNull(sentence);
        Assert.EndsWith(clause, sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("week.archive", "2021-07-19", null)]
    [InlineData("week.publish", "2021-07-19", "published by a rule not known here")]
    [InlineData("week.discard", "2021-07-19", "something else discarded")]
    [InlineData("account.create", "someone", "role Staff")]
    public void UnknownCodeOrWords_GiveNoSentence_SoThePageShowsTheStoredEntry(string action, string subject, string? details)
    {
        Assert.Null(AuditText.Say(action, subject, details, Texts, "en"));
    }

    [Fact]
    public async Task AnActionNotListed_IsRefusedByTheLog()
    {
        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AuditLog.WriteAsync(null!, null, "test", "week.archive", null));

        Assert.Equal("action", refused.ParamName);
    }

    [Theory]
    [InlineData("ru", "Опубликована неделя с 2021-07-19.", "Загружен файл export.csv за неделю с 2021-07-19")]
    [InlineData("kk", "2021-07-19 басталатын апта жарияланды.", "2021-07-19 басталатын аптаға export.csv файлы жүктелді")]
    public async Task AuditPage_AfterARealPublish_SaysItInTheStaffLanguage_KeepingTheCode(string language, string published, string uploaded)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var export = new ExportBuilder();
        for (var n = 1; n <= 20; n++)
            export.Row(ExportBuilder.BinFor(n), n <= 2 ? "лидер" : "участник");
        await staff.UploadLoadedAsync(export.ToBytes(), "export.csv", Week);
        var publish = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);
        Assert.Contains("done=published", publish.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var page = await staff.PageAsync($"/staff/audit?lang={language}");

        var row = page.QuerySelector("[data-testid=audit-row][data-action='week.publish']")!;
        Assert.Equal(published, row.QuerySelector("[data-testid=audit-sentence]")!.TextContent.Trim());
        Assert.Equal("week.publish", row.QuerySelector(".audit-code")!.TextContent.Trim());
        var upload = page.QuerySelector("[data-testid=audit-row][data-action='import.upload'] [data-testid=audit-sentence]")!;
        Assert.StartsWith(uploaded, upload.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=audit-details]"));
        Assert.NotNull(page.QuerySelector("table.stack-table[data-testid=audit] td[data-label]"));
    }
}
