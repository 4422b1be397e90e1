using System.Text;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Jobs;

public sealed class InboxScannerTests : IDisposable
{
    private readonly string _inbox = Path.Combine(Path.GetTempPath(), "ashyq-inbox-tests", Guid.NewGuid().ToString("N"));

    public InboxScannerTests() => Directory.CreateDirectory(_inbox);

    public void Dispose() => Directory.Delete(_inbox, recursive: true);

    [Fact]
    public async Task Scan_StoresAndQueuesEachFile_MovesItAsideNeverDeletes()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("inbox");
        using var host = Node(connectionString);
        var named = new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes();
        var titled = Encoding.UTF8.GetBytes("Выгрузка участников проекта Ashyq, г. Алматы, за период 12.07.2021 – 18.07.2021\r\n")
            .Concat(new ExportBuilder().Row(ExportBuilder.BinFor(2), "лидер").ToBytes()).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_inbox, "ashyq-2021-07-19.csv"), named);
        await File.WriteAllBytesAsync(Path.Combine(_inbox, "ministry-export.csv"), titled);
        await File.WriteAllBytesAsync(Path.Combine(_inbox, "notes.csv"), new ExportBuilder().Row(ExportBuilder.BinFor(3), "лидер").ToBytes());
        await File.WriteAllBytesAsync(Path.Combine(_inbox, "upload.csv.part"), [1, 2, 3]);

        var queued = await host.Services.GetRequiredService<InboxScanner>().ScanAsync();

        Assert.Equal(2, queued.Count);
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var command = db.CreateCommand("SELECT string_agg(week_start::text || ' ' || source || ' ' || state, ', ' ORDER BY week_start) FROM imports"))
            Assert.Equal("2021-07-12 inbox queued, 2021-07-19 inbox queued", await command.ExecuteScalarAsync());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_inbox, InboxScanner.ProcessedFolder)).Length);
        Assert.Single(Directory.GetFiles(Path.Combine(_inbox, InboxScanner.FailedFolder), "*notes.csv"));
        Assert.Single(Directory.GetFiles(Path.Combine(_inbox, InboxScanner.FailedFolder), "*.reason.txt"));
        Assert.True(File.Exists(Path.Combine(_inbox, "upload.csv.part")));
    }

    [Fact]
    public async Task Scan_FileNamedForAWeekOutsideTheBounds_IsMovedToFailedWithTheRule_NothingStored()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("inbox");
        using var host = Node(connectionString);
        await File.WriteAllBytesAsync(Path.Combine(_inbox, "ashyq-9999-12-27.csv"), new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes());

        var queued = await host.Services.GetRequiredService<InboxScanner>().ScanAsync();

        Assert.Empty(queued);
        var reason = Assert.Single(Directory.GetFiles(Path.Combine(_inbox, InboxScanner.FailedFolder), "*.reason.txt"));
        Assert.Contains("too far ahead", await File.ReadAllTextAsync(reason), StringComparison.Ordinal);
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var command = db.CreateCommand("SELECT count(*) FROM imports");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Scan_MissingFolder_DoesNothing()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("inbox");
        using var host = Node(connectionString, Path.Combine(_inbox, "absent"));

        var queued = await host.Services.GetRequiredService<InboxScanner>().ScanAsync();

        Assert.Empty(queued);
    }

    [Fact]
    public async Task Scan_FilesCannotBeMovedAside_StoresNothingAndLeavesThemForLater()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("inbox");
        using var host = Node(connectionString);
        await File.WriteAllBytesAsync(Path.Combine(_inbox, "ashyq-2021-07-19.csv"), new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes());
        await File.WriteAllTextAsync(Path.Combine(_inbox, InboxScanner.ProcessedFolder), "a file where the folder should be");
        var scanner = host.Services.GetRequiredService<InboxScanner>();

        var first = await scanner.ScanAsync();
        var second = await scanner.ScanAsync();

        Assert.Empty(first);
        Assert.Empty(second);
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var command = db.CreateCommand("SELECT count(*) FROM imports"))
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        Assert.True(File.Exists(Path.Combine(_inbox, "ashyq-2021-07-19.csv")));
    }

    [Fact]
    public void WeekFromName_AnyDayOfTheWeek_GivesItsMonday()
    {
        Assert.Equal(new DateOnly(2021, 7, 19), InboxScanner.WeekFromName("export 2021-07-21.xlsx"));
        Assert.Null(InboxScanner.WeekFromName("export.xlsx"));
    }

    private IHost Node(string connectionString, string? inbox = null)
    {
        return PipelineHost.Build(connectionString, runServer: false,
            new Dictionary<string, string?> { ["Registry:InboxPath"] = inbox ?? _inbox });
    }
}
