using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Jobs;

/// <summary>Between "stored" and "queued" nothing is lost, and an import's job is queued once.</summary>
public sealed class ImportHandOverTests
{
    private static readonly DateOnly Week = new(2021, 7, 19);

    [Fact]
    public async Task HandOverFailsAfterTheStoreCommitted_TheSweepQueuesTheImport_AndItLoadsOnce()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("handover");
        await using var db = NpgsqlDataSource.Create(connectionString);
        long importId;
        using (var client = PipelineHost.Build(connectionString, runServer: false))
        {
            importId = await StoreAsync(client);
            var queue = client.Services.GetRequiredService<ImportQueue>();
            // The job store cannot be written: the import is committed, its job is not.
            await ExecuteAsync(db, "ALTER TABLE hangfire.job RENAME TO job_unavailable");
            try
            {
                await Assert.ThrowsAnyAsync<Exception>(() => queue.EnqueueAsync(importId));
                await queue.HandOverAsync(importId); // as an upload does: the uploader is not told of it
            }
            finally
            {
                await ExecuteAsync(db, "ALTER TABLE hangfire.job_unavailable RENAME TO job");
            }
        }
        Assert.Equal("queued", await ScalarAsync<string>(db, $"SELECT state FROM imports WHERE id = {importId}"));
        Assert.True(await ScalarAsync<bool>(db, $"SELECT job_id IS NULL FROM imports WHERE id = {importId}"));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // older than the orphan age below

        using var node = PipelineHost.Build(connectionString, runServer: true,
            new Dictionary<string, string?> { ["Jobs:OrphanAfterSeconds"] = "1" });
        await node.StartAsync();
        try
        {
            await ClusteredImportTests.WaitUntilAsync(db, $"SELECT state = 'loaded' FROM imports WHERE id = {importId}", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await node.StopAsync();
        }
        Assert.Equal(1, await ScalarAsync<int>(db, $"SELECT attempts FROM imports WHERE id = {importId}"));
        Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM audit_log WHERE action = 'import.load'"));
    }

    [Fact]
    public async Task Enqueue_AskedTwice_QueuesOneJob_AndNoneForAFinishedImport()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("handover");
        await using var db = NpgsqlDataSource.Create(connectionString);
        using var host = PipelineHost.Build(connectionString, runServer: false);
        var importId = await StoreAsync(host);
        var queue = host.Services.GetRequiredService<ImportQueue>();

        Assert.True(await queue.EnqueueAsync(importId));
        Assert.False(await queue.EnqueueAsync(importId));
        Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM hangfire.job"));

        await host.Services.GetRequiredService<ImportService>().RunAsync(importId);
        await ExecuteAsync(db, "DELETE FROM hangfire.job");
        Assert.False(await queue.EnqueueAsync(importId));
    }

    [Fact]
    public async Task Sweep_LeavesAnImportHeldByAProcess_QueuesItOnceReleased()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("handover");
        await using var db = NpgsqlDataSource.Create(connectionString);
        using var host = PipelineHost.Build(connectionString, runServer: false,
            new Dictionary<string, string?> { ["Jobs:OrphanAfterSeconds"] = "1" });
        var importId = await StoreAsync(host);
        var queue = host.Services.GetRequiredService<ImportQueue>();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // As the import verb does while it loads the import in-line.
        await using (var holder = await db.OpenConnectionAsync())
        {
            Assert.True(await ImportLock.TryTakeAsync(holder, importId));
            Assert.Empty(await queue.SweepAsync());
            await ImportLock.ReleaseAsync(holder, importId);
        }

        Assert.Equal([importId], await queue.SweepAsync());
        Assert.Empty(await queue.SweepAsync());
    }

    [Fact]
    public async Task Job_TransientFailureOnItsLastAttempt_MarksTheImportFailedForGood()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("handover");
        await using var db = NpgsqlDataSource.Create(connectionString);
        // A work folder that cannot be created: the disk is full, or the folder is a file.
        var blocked = Path.GetTempFileName();
        try
        {
            long importId;
            using (var uploader = PipelineHost.Build(connectionString, runServer: false))
                importId = await StoreAsync(uploader);
            using var host = PipelineHost.Build(connectionString, runServer: false,
                new Dictionary<string, string?> { ["Registry:WorkPath"] = Path.Combine(blocked, "work") });
            var job = host.Services.GetRequiredService<ImportJob>();

            await Assert.ThrowsAnyAsync<IOException>(() => job.RunAsync(importId, Context(host, importId, retry: 0), CancellationToken.None));
            Assert.NotEqual("failed", await ScalarAsync<string>(db, $"SELECT state FROM imports WHERE id = {importId}"));

            await Assert.ThrowsAnyAsync<IOException>(() => job.RunAsync(importId, Context(host, importId, retry: ImportJob.MaxRetries), CancellationToken.None));
            Assert.Equal("failed", await ScalarAsync<string>(db, $"SELECT state FROM imports WHERE id = {importId}"));
            Assert.StartsWith($"Gave up after {ImportJob.MaxRetries + 1} attempts", await ScalarAsync<string>(db, $"SELECT error FROM imports WHERE id = {importId}"));
        }
        finally
        {
            File.Delete(blocked);
        }
    }

    [Fact]
    public async Task Job_RefusedFile_IsNotRetried()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("handover");
        await using var db = NpgsqlDataSource.Create(connectionString);
        using var host = PipelineHost.Build(connectionString, runServer: false);
        using var stream = new MemoryStream("not an export at all\r\n"u8.ToArray());
        var importId = (await host.Services.GetRequiredService<ImportService>()
            .StoreAsync(stream, "notes.csv", Week, "test", ImportSources.Upload)).Id;

        // Returns normally on the first attempt, so the job server does not try again.
        await host.Services.GetRequiredService<ImportJob>().RunAsync(importId, Context(host, importId, retry: 0), CancellationToken.None);

        Assert.Equal("failed", await ScalarAsync<string>(db, $"SELECT state FROM imports WHERE id = {importId}"));
    }

    [Fact]
    public async Task StoreAndQueue_SameFileTwice_QueuesOneJob_AndTheDuplicateNone()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("handover");
        await using var db = NpgsqlDataSource.Create(connectionString);
        using var host = PipelineHost.Build(connectionString, runServer: false);
        var queue = host.Services.GetRequiredService<ImportQueue>();
        var file = new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes();

        StoredImport first, second;
        using (var stream = new MemoryStream(file))
            first = await queue.StoreAndQueueAsync(stream, "export.csv", Week, "test", ImportSources.Upload);
        using (var stream = new MemoryStream(file))
            second = await queue.StoreAndQueueAsync(stream, "export.csv", Week, "test", ImportSources.Upload);

        Assert.Equal(first.Id, second.DuplicateOf);
        Assert.Equal(1L, await ScalarAsync<long>(db, $"SELECT count(*) FROM imports WHERE id = {first.Id} AND job_id IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync<long>(db, $"SELECT count(*) FROM imports WHERE id = {second.Id} AND job_id IS NULL"));
        Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM hangfire.job"));
    }

    private static PerformContext Context(IHost host, long importId, int retry)
    {
        var storage = host.Services.GetRequiredService<JobStorage>();
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
        var jobId = jobs.Schedule<ImportJob>(j => j.RunAsync(importId, null, CancellationToken.None), TimeSpan.FromDays(1));
        var connection = storage.GetConnection();
        connection.SetJobParameter(jobId, "RetryCount", SerializationHelper.Serialize(retry));
        var job = Job.FromExpression<ImportJob>(j => j.RunAsync(importId, null, CancellationToken.None));
        return new PerformContext(storage, connection, new BackgroundJob(jobId, job, DateTime.UtcNow), new JobCancellationToken(false));
    }

    private static async Task<long> StoreAsync(IHost host)
    {
        var file = new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").Row(ExportBuilder.BinFor(2), "участник").ToBytes();
        using var stream = new MemoryStream(file);
        return (await host.Services.GetRequiredService<ImportService>().StoreAsync(stream, "export.csv", Week, "test", ImportSources.Upload)).Id;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
