using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Core.Tests.Imports;

public sealed class ImportPipelineTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(1);
    private static readonly string B = ExportBuilder.BinFor(2);
    private static readonly string C = ExportBuilder.BinFor(3);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Import_ValidFile_LoadsADraftWeekThePublicCannotSee()
    {
        var file = new ExportBuilder().Row(A, "лидер", flagged: 2).Row(B, "аутсайдер", flagged: 1).Row(C, "исключен", reason: "Нарушения").ToBytes();

        var outcome = await db.ImportAsync(file, "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal((3, 3, 0), (outcome.RowsRead, outcome.RowsLoaded, outcome.RowsRejected));
        Assert.Equal("draft", await db.ScalarAsync<string>("SELECT status FROM weeks WHERE week_start = '2021-07-12'"));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT participants FROM weeks"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT flagged_visitors FROM weeks"));
        Assert.Equal("file", await db.ScalarAsync<string>("SELECT exclusion_source FROM week_rows WHERE bin = $1", C));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM businesses"));
    }

    [Fact]
    public async Task Import_Loaded_FinishedAtIsWhenTheLoadEndedNotWhenItsTransactionBegan()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "лидер").Row(B, "участник").ToBytes(), "2021-07-12");

        // weeks.loaded_at is written at the start of the load's transaction; the import finishes after it.
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT i.finished_at > w.loaded_at FROM imports i JOIN weeks w ON w.import_id = i.id"));
    }

    [Fact]
    public async Task Publish_LoadedWeek_MakesItsBusinessesPublic()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "лидер").Row(B, "участник").ToBytes(), "2021-07-12");

        var outcome = await db.Publisher.PublishAsync(new DateOnly(2021, 7, 12), "staff@example.kz");

        Assert.Equal(PublishOutcome.Published, outcome);
        Assert.Equal("published", await db.ScalarAsync<string>("SELECT status FROM weeks"));
        Assert.Equal("leader", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 ORDER BY week_start DESC LIMIT 1", A));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'week.publish'"));
    }

    [Fact]
    public async Task Import_SameFileForSameWeekAgain_IsRecognisedAndNotLoadedTwice()
    {
        var file = new ExportBuilder().Row(A, "лидер").ToBytes();
        var first = await db.ImportAsync(file, "2021-07-12");

        var second = await db.ImportAsync(file, "2021-07-12");

        Assert.Equal(ImportStates.Duplicate, second.State);
        Assert.Equal(first.ImportId, second.DuplicateOf);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM import_files"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'import.load'"));
    }

    [Fact]
    public async Task Import_SameFileForAnotherWeek_IsLoaded()
    {
        var file = new ExportBuilder().Row(A, "лидер").ToBytes();
        await db.ImportAsync(file, "2021-07-12");

        var other = await db.ImportAsync(file, "2021-07-19");

        Assert.Equal(ImportStates.Loaded, other.State);
    }

    [Fact]
    public async Task Load_CountsGatheredWhileLoading_EqualARecountOfTheLoadedRows()
    {
        string[] more = [.. Enumerable.Range(4, 4).Select(ExportBuilder.BinFor)];
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "аутсайдер").ToBytes(), "2021-07-05", publish: true);
        var file = new ExportBuilder()
            .Row(A, "аутсайдер", category: "Кафе", district: "Медеуский", flagged: 2) // excluded by the rule
            .Row(B, "аутсайдер", category: "Нечто иное", district: "", flagged: 1) // by the rule too; category other, no district
            .Row(C, "исключен", category: "Рынок", district: "Алмалинский", reason: "Нарушения")
            .Row(more[0], "лидер", category: "Кафе", district: "Медеуский", flagged: 5)
            .Row(more[1], "участник", category: "Салон красоты", district: "Где-то ещё") // an unknown district
            .Row(more[2], "аутсайдер", category: "Кафе", district: "Медеуский")
            .Row(more[3], "лидер", category: "Фитнес-клуб", district: "Bostandyk district")
            .ToBytes();

        await db.ImportAsync(file, "2021-07-12"); // a draft: its counts are the load's own
        var loaded = await CountsAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await WeekDerivation.RecountAsync(connection, transaction, new DateOnly(2021, 7, 12), CancellationToken.None);
        var recounted = await CountsAsync(connection, transaction);
        await transaction.RollbackAsync();

        Assert.Equal(recounted, loaded);
        Assert.Contains("week 7,4,2,1,3,2,8", loaded);
        Assert.Contains("district:unknown 1,0,0,1", loaded);
        Assert.Contains("category:other 0,0,0,1", loaded);
    }

    private async Task<string[]> CountsAsync(Npgsql.NpgsqlConnection? connection = null, Npgsql.NpgsqlTransaction? transaction = null)
    {
        const string sql = """
            SELECT 'week ' || concat_ws(',', participants + excluded, participants, leaders, outsiders, excluded, excluded_by_rule, flagged_visitors)
            FROM weeks WHERE week_start = '2021-07-12'
            UNION ALL
            SELECT dimension || ':' || code || ' ' || concat_ws(',', participants, leaders, outsiders, excluded)
            FROM week_counts WHERE week_start = '2021-07-12'
            ORDER BY 1
            """;
        await using var command = connection is null ? db.DataSource.CreateCommand(sql) : new Npgsql.NpgsqlCommand(sql, connection, transaction);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return [.. lines];
    }

    [Fact]
    public async Task ExclusionRule_OutsiderTwoPublishedWeeksInARow_IsExcludedByRule()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "аутсайдер").ToBytes(), "2021-07-05", publish: true);

        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "лидер").ToBytes(), "2021-07-12", publish: true);

        Assert.Equal("excluded", await db.StatusAsync("2021-07-12", A));
        Assert.Equal("rule", await db.ScalarAsync<string>("SELECT exclusion_source FROM week_rows WHERE week_start = '2021-07-12' AND bin = $1", A));
        Assert.Equal("leader", await db.StatusAsync("2021-07-12", B));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT excluded_by_rule FROM weeks WHERE week_start = '2021-07-12'"));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT outsiders FROM weeks WHERE week_start = '2021-07-12'"));
        Assert.Equal("excluded", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 ORDER BY week_start DESC LIMIT 1", A));
    }

    [Fact]
    public async Task ExclusionRule_CountsPublishedWeeksOnly()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), "2021-07-05");

        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), "2021-07-12");

        Assert.Equal("outsider", await db.StatusAsync("2021-07-12", A));
    }

    [Fact]
    public async Task Publish_EarlierDraftWeekLater_RederivesTheLaterWeek()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), "2021-07-05");
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), "2021-07-12");
        Assert.Equal(PublishOutcome.NeedsConfirmation, await db.Publisher.PublishAsync(new DateOnly(2021, 7, 12), "staff"));

        await db.Publisher.PublishAsync(new DateOnly(2021, 7, 5), "staff");

        Assert.Equal("excluded", await db.StatusAsync("2021-07-12", A));
    }

    [Fact]
    public async Task BusinessWeeks_FollowPublishingOutOfOrderAndWithdrawing_AndHoldPublishedWeeksOnly()
    {
        const string mismatch = """
            SELECT count(*) FROM (
                (SELECT bin, week_start, status, scans, flagged_visitors, reason, exclusion_source FROM business_weeks
                 EXCEPT
                 SELECT r.bin, r.week_start, r.status, r.scans, r.flagged_visitors, r.reason, r.exclusion_source
                 FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = 'published')
                UNION ALL
                (SELECT r.bin, r.week_start, r.status, r.scans, r.flagged_visitors, r.reason, r.exclusion_source
                 FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = 'published'
                 EXCEPT
                 SELECT bin, week_start, status, scans, flagged_visitors, reason, exclusion_source FROM business_weeks)) d
            """;
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "лидер").ToBytes(), "2021-07-05");
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-07-12");
        await db.Publisher.PublishAsync(new DateOnly(2021, 7, 12), "staff", confirmEarlierDrafts: true);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM business_weeks"));
        Assert.Equal(0L, await db.ScalarAsync<long>(mismatch));

        await db.Publisher.PublishAsync(new DateOnly(2021, 7, 5), "staff");
        Assert.Equal("excluded", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 AND week_start = '2021-07-12'", A));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM business_weeks"));
        Assert.Equal(0L, await db.ScalarAsync<long>(mismatch));

        await db.Publisher.WithdrawAsync(new DateOnly(2021, 7, 5), "staff", "wrong file");
        Assert.Equal("outsider", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 AND week_start = '2021-07-12'", A));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM business_weeks"));
        Assert.Equal(0L, await db.ScalarAsync<long>(mismatch));
    }

    [Fact]
    public async Task ExclusionRule_WithThreeWeeksSetting_NeedsThreeOutsiderWeeks()
    {
        db.Options.ExclusionWeeks = 3;
        try
        {
            await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), "2021-06-28", publish: true);
            await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-07-05", publish: true);
            Assert.Equal("outsider", await db.StatusAsync("2021-07-05", A));

            await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").Row(C, "лидер").ToBytes(), "2021-07-12", publish: true);

            Assert.Equal("excluded", await db.StatusAsync("2021-07-12", A));
        }
        finally
        {
            db.Options.ExclusionWeeks = 2;
        }
    }

    [Fact]
    public async Task Readmission_ExcludedBusinessListedAgain_TakesItsNewStatus()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "исключен", reason: "Не сканирует").ToBytes(), "2021-07-05", publish: true);

        await db.ImportAsync(new ExportBuilder().Row(A, "участник").ToBytes(), "2021-07-12", publish: true);

        Assert.Equal("participant", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 ORDER BY week_start DESC LIMIT 1", A));
        Assert.Equal("excluded", await db.StatusAsync("2021-07-05", A));
    }

    [Fact]
    public async Task Withdraw_LatestWeek_PublicViewFallsBackAndLaterRuleIsRederived()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-07-05", publish: true);
        await db.ImportAsync(new ExportBuilder().Row(A, "лидер").Row(C, "участник").ToBytes(), "2021-07-12", publish: true);
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), "2021-07-19", publish: true);
        Assert.Equal("outsider", await db.StatusAsync("2021-07-19", A));

        var outcome = await db.Publisher.WithdrawAsync(new DateOnly(2021, 7, 12), "staff", "Wrong file");

        Assert.Equal(WithdrawOutcome.Withdrawn, outcome);
        Assert.Equal("withdrawn", await db.ScalarAsync<string>("SELECT status FROM weeks WHERE week_start = '2021-07-12'"));
        Assert.Equal("excluded", await db.StatusAsync("2021-07-19", A)); // 07-05 and 07-19 are now consecutive published weeks
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM businesses WHERE bin = $1", C));
        Assert.Equal("Wrong file", await db.ScalarAsync<string>("SELECT details FROM audit_log WHERE action = 'week.withdraw'"));
    }

    [Fact]
    public async Task Import_ForPublishedWeek_LoadsBesideIt_UnpublishedEvenWhenAskedToPublish_AndThePublishedRowsAndCountsStay()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-12", publish: true);

        var outcome = await db.ImportAsync(new ExportBuilder().Row(B, "лидер").Row(C, "участник").ToBytes(), "2021-07-12", publish: true);

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.False(outcome.Published);
        Assert.Equal(A, await db.ScalarAsync<string>("SELECT bin FROM week_rows WHERE week_start = '2021-07-12'"));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT participants FROM weeks WHERE week_start = '2021-07-12' AND status = 'published'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT sum(participants) FROM week_counts WHERE week_start = '2021-07-12' AND dimension = 'category'"));
        Assert.Equal(outcome.ImportId, await db.ScalarAsync<long>("SELECT import_id FROM week_replacements WHERE week_start = '2021-07-12'"));
        Assert.Equal(2L, await db.ScalarAsync<long>($"SELECT count(*) FROM week_rows_20210712_{outcome.ImportId}"));
    }

    [Fact]
    public async Task Import_NewFileForDraftWeek_ReplacesTheDraft()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-12");

        await db.ImportAsync(new ExportBuilder().Row(B, "лидер").Row(C, "участник").ToBytes(), "2021-07-12");

        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows WHERE week_start = '2021-07-12'"));
        Assert.Null(await db.StatusAsync("2021-07-12", A));
    }

    [Fact]
    public async Task Import_TooManyBadRows_RefusesTheWholeFileButKeepsTheReport()
    {
        var builder = new ExportBuilder();
        for (var i = 1; i <= 18; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");
        builder.Row("123456789012", "участник").Row(ExportBuilder.BinFor(40), "участник", scans: -5);

        var outcome = await db.ImportAsync(builder.ToBytes(), "2021-07-12");

        Assert.Equal(ImportStates.Failed, outcome.State);
        Assert.Equal(2, outcome.RowsRejected);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM weeks"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM import_messages WHERE code = 'too_many_errors'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM import_messages WHERE severity = 'row_error'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM import_files"));
    }

    [Fact]
    public async Task Import_OneBadRowInTwentyOne_LoadsTheRestAndReportsIt()
    {
        var builder = new ExportBuilder();
        for (var i = 1; i <= 20; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");
        builder.Row("123456789012", "участник");

        var outcome = await db.ImportAsync(builder.ToBytes(), "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal((21, 20, 1), (outcome.RowsRead, outcome.RowsLoaded, outcome.RowsRejected));
        var error = Assert.Single(outcome.FirstMessages, m => m.Severity == MessageSeverity.RowError);
        Assert.Equal((22, "123456789012"), (error.LineNo, error.Value));
    }

    [Fact]
    public async Task Import_DuplicateBinWithIdenticalRows_KeepsOneWithAWarning()
    {
        var builder = new ExportBuilder().Row(A, "лидер").Row(A, "лидер");
        for (var i = 10; i < 30; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");

        var outcome = await db.ImportAsync(builder.ToBytes(), "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal(21, outcome.RowsLoaded);
        Assert.Contains(outcome.FirstMessages, m => m.Code == "duplicate_bin_identical" && m.LineNo == 3);
    }

    [Fact]
    public async Task Import_DuplicateBinWithDifferentRows_RejectsEveryOneNamingTheOthers()
    {
        var builder = new ExportBuilder().Row(A, "лидер").Row(A, "аутсайдер");
        for (var i = 10; i < 50; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");

        var outcome = await db.ImportAsync(builder.ToBytes(), "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal((40, 2), (outcome.RowsLoaded, outcome.RowsRejected));
        Assert.Contains(outcome.FirstMessages, m => m.Code == "duplicate_bin" && m.LineNo == 2 && m.Message.Contains('3', StringComparison.Ordinal));
        Assert.Null(await db.StatusAsync("2021-07-12", A));
    }

    [Fact]
    public async Task Import_RowMessages_StoreTheirValuesByNameBesideTheirCode()
    {
        var builder = new ExportBuilder().Row(A, "лидер").Row(A, "аутсайдер").Row(B, "участник").Row(B, "участник")
            .Row(C[..11] + (C[11] == '9' ? '0' : (char)(C[11] + 1)), "участник");
        for (var i = 10; i < 100; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");

        await db.ImportAsync(builder.ToBytes(), "2021-07-12");

        var duplicate = await db.ScalarAsync<string>("SELECT args::text FROM import_messages WHERE code = 'duplicate_bin' AND line_no = 2");
        var identical = await db.ScalarAsync<string>("SELECT args::text FROM import_messages WHERE code = 'duplicate_bin_identical'");
        var checkDigit = await db.ScalarAsync<string>("SELECT args->>'bin' FROM import_messages WHERE code = 'bin_check_digit'");
        Assert.Equal(new Dictionary<string, string> { ["others"] = "1", ["lines"] = "3" },
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(duplicate));
        Assert.Equal(new Dictionary<string, string> { ["line"] = "4" },
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(identical));
        Assert.Equal(C[..11], checkDigit[..11]);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM import_messages WHERE code = 'duplicate_bin' AND args IS NULL"));
    }

    [Fact]
    public async Task Import_FailureInjectedMidMerge_LeavesNoTraceOfTheWeek()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-05", publish: true);
        await using (var inject = db.DataSource.CreateCommand("""
            CREATE FUNCTION fail_merge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER fail_merge BEFORE INSERT ON week_counts FOR EACH ROW EXECUTE FUNCTION fail_merge();
            """))
        {
            await inject.ExecuteNonQueryAsync();
        }
        try
        {
            var outcome = await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "лидер").ToBytes(), "2021-07-12");

            Assert.Equal(ImportStates.Failed, outcome.State);
            Assert.Contains("injected failure", outcome.Error, StringComparison.Ordinal);
            // The message names its code and keeps the raised detail as a value, so staff read it in their language.
            Assert.Contains("injected failure", await db.ScalarAsync<string>(
                "SELECT args->>'detail' FROM import_messages WHERE import_id = $1 AND code = 'load_failed'", outcome.ImportId), StringComparison.Ordinal);
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM weeks WHERE week_start = '2021-07-12'"));
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows WHERE week_start = '2021-07-12'"));
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM import_files WHERE import_id = $1", outcome.ImportId));
        }
        finally
        {
            await using var remove = db.DataSource.CreateCommand("DROP TRIGGER fail_merge ON week_counts; DROP FUNCTION fail_merge();");
            await remove.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Import_UnreadableFile_FailsWithAFileErrorAndKeepsTheFile()
    {
        var outcome = await db.ImportAsync([0x00, 0x01, 0x02, 0xFF, 0x00, 0x13, 0x37], "2021-07-12", "weird.csv");

        Assert.Equal(ImportStates.Failed, outcome.State);
        Assert.Contains(outcome.FirstMessages, m => m.Severity == MessageSeverity.FileError);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM import_files"));
    }

    [Fact]
    public async Task Import_HeaderButNoRows_IsRefused()
    {
        var outcome = await db.ImportAsync(new ExportBuilder().ToBytes(), "2021-07-12");

        Assert.Equal(ImportStates.Failed, outcome.State);
        Assert.Contains(outcome.FirstMessages, m => m.Code == "no_data_rows");
    }

    [Fact]
    public async Task Import_TitleLineNamingAnotherWeek_WarnsButLoads()
    {
        var withTitle = System.Text.Encoding.UTF8.GetBytes("Выгрузка участников проекта Ashyq, г. Алматы, за период 05.07.2021 – 11.07.2021\r\n")
            .Concat(new ExportBuilder().Row(A, "лидер").ToBytes()).ToArray();

        var outcome = await db.ImportAsync(withTitle, "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Contains(outcome.FirstMessages, m => m.Code == "title_week_mismatch");
    }

    [Fact]
    public async Task Run_AgainAfterLoading_ChangesNothing()
    {
        var outcome = await db.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-12");

        var again = await db.Imports.RunAsync(outcome.ImportId);

        Assert.Equal(ImportStates.Loaded, again.State);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT attempts FROM imports WHERE id = $1", outcome.ImportId));
    }

    [Fact]
    public async Task Run_WhileAnotherProcessHoldsTheImport_AsksToBeRetried_ThenLoads()
    {
        using var stream = new MemoryStream(new ExportBuilder().Row(A, "лидер").ToBytes());
        var stored = await db.Imports.StoreAsync(stream, "week.csv", new DateOnly(2021, 7, 12), "test", ImportSources.Upload);
        await using var other = await db.DataSource.OpenConnectionAsync();
        Assert.True(await ImportLock.TryTakeAsync(other, stored.Id));

        await Assert.ThrowsAsync<ImportBusyException>(() => db.Imports.RunAsync(stored.Id));
        await ImportLock.ReleaseAsync(other, stored.Id);
        var outcome = await db.Imports.RunAsync(stored.Id);

        Assert.Equal(ImportStates.Loaded, outcome.State);
    }

    [Fact]
    public async Task Store_NotAMonday_IsRefused()
    {
        using var stream = new MemoryStream([1, 2, 3]);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            db.Imports.StoreAsync(stream, "x.csv", new DateOnly(2021, 7, 13), "test", ImportSources.Upload));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM imports"));
    }

    [Theory]
    [InlineData(9999, 12, 27)]
    [InlineData(1, 1, 1)]
    [InlineData(2019, 12, 30)]
    public async Task Store_WeekOutsideTheRegistrysBounds_IsRefusedWithNothingStored(int year, int month, int day)
    {
        using var stream = new MemoryStream(new ExportBuilder().Row(A, "лидер").ToBytes());

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            db.Imports.StoreAsync(stream, "x.csv", new DateOnly(year, month, day), "test", ImportSources.Upload));

        Assert.Contains(new DateOnly(year, month, day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM imports"));
    }

    [Fact]
    public async Task Import_ControlCharactersInNameAddressAndReason_AreRemovedWithAWarning()
    {
        var file = new ExportBuilder()
            .Row(A, "лидер", name: "Кафе\u000B «Звезда»\u0085")
            .Row(B, "исключен", name: "Ресторан\u007F", reason: "Отказ\u0001 от сканирования")
            .Row(C, "участник", name: "Салон «Ару»")
            .ToBytes();

        var outcome = await db.ImportAsync(file, "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal(3, outcome.RowsLoaded);
        Assert.Equal("Кафе «Звезда»", await db.ScalarAsync<string>("SELECT name FROM week_rows WHERE bin = $1", A));
        Assert.Equal("Ресторан", await db.ScalarAsync<string>("SELECT name FROM week_rows WHERE bin = $1", B));
        Assert.Equal("Отказ от сканирования", await db.ScalarAsync<string>("SELECT reason FROM week_rows WHERE bin = $1", B));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM import_messages WHERE code = 'control_characters' AND severity = 'row_warning'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows WHERE name ~ '[[:cntrl:]]' OR reason ~ '[[:cntrl:]]'"));
    }

    [Fact]
    public async Task Store_LargerThanTheLimit_IsRefusedWithNothingStored()
    {
        using var stream = new MemoryStream(new byte[db.Options.MaxUploadBytes + 1]);

        await Assert.ThrowsAsync<UploadTooLargeException>(() =>
            db.Imports.StoreAsync(stream, "big.csv", new DateOnly(2021, 7, 12), "test", ImportSources.Upload));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM imports"));
    }
}
