using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Localization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

/// <summary>Settings of the open-data files, from the "OpenData" configuration section.</summary>
public sealed class OpenDataOptions
{
    public const string Section = "OpenData";

    /// <summary>
    /// The folder the archives, deltas and release index are written into, one subfolder per data version.
    /// Empty: a folder of this account's own under the temporary folder, named also by the database, since
    /// a site deletes the versions it does not show and two sites over two databases must not share one.
    /// </summary>
    public string? FilesPath { get; set; }

    /// <summary>
    /// How long a request waits for a file that is being written; past it the request is answered 503 with
    /// Retry-After, and the writing goes on.
    /// </summary>
    [Range(1, 600)]
    public int WaitSeconds { get; set; } = 20;

    public string FilesDirectory(string database) => FilesPath is { Length: > 0 } configured
        ? configured
        : Path.Combine(Path.GetTempPath(), $"ashyq-open-data-{Environment.UserName}-{database}");
}

/// <summary>The version of the published data, and when it last changed (if anything was ever published).</summary>
public sealed record DataVersion(string Id, DateTimeOffset? LastChanged);

/// <summary>A stored file of one data version: where it is, how long it is and its SHA-256 (lower-case hex).</summary>
public sealed record StoredFile(string Path, long Size, string Sha256, string Version);

/// <summary>
/// The open-data files, each written once per data version and node and then served from disk.
/// <para>
/// They are made on the first request for them, not by a job after each change: the data changes in four
/// places (publish, withdraw, replacement, alias re-mapping), any node may be asked first, a node's folder
/// may be empty after a restart or on a new node, and a job that failed or was never queued would leave a
/// version with no files. Asked for, a file is made by whichever node is asked, from what that node reads
/// as the current version, and never twice at once on a node: every request for a file of a version
/// shares the one writing of it. Each node keeps its own folder, so nodes never wait on one another.
/// </para>
/// </summary>
public sealed partial class OpenDataFiles(
    [FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource,
    IServiceProvider services,
    IOptions<OpenDataOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<OpenDataFiles> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<StoredFile>>> _writing = new(StringComparer.Ordinal);
    private readonly Lock _cleanup = new();
    private string? _currentVersion;
    private long _generations;

    // Which database the files are of (server, port and name, hashed): the default folder's last part.
    private readonly string _database = DatabaseKey(dataSource.ConnectionString);

    private string Root => options.Value.FilesDirectory(_database);

    private static string DatabaseKey(string connectionString)
    {
        var parts = new NpgsqlConnectionStringBuilder(connectionString);
        var key = $"{parts.Host}:{parts.Port.ToString(CultureInfo.InvariantCulture)}/{parts.Database}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
    }

    public static IServiceCollection AddOpenData(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenDataOptions>()
            .Bind(configuration.GetSection(OpenDataOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddSingleton<OpenDataFiles>();
    }

    /// <summary>The site's own services, for a download written outside any request.</summary>
    public IServiceProvider Services => services;

    /// <summary>How many files this node has written since it started.</summary>
    public long Generations => Interlocked.Read(ref _generations);

    public TimeSpan Wait => TimeSpan.FromSeconds(options.Value.WaitSeconds);

    /// <summary>
    /// The version of what the public sees: it changes when a week is published, withdrawn or replaced
    /// (each sets the week's publication or withdrawal time) and when a category alias re-maps stored rows
    /// (the audit log keeps each alias change). One small read of the weeks table and the alias entries.
    /// </summary>
    public async Task<DataVersion> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH released AS (SELECT * FROM weeks WHERE status IN ('{WeekStatuses.Published}', '{WeekStatuses.Withdrawn}')),
            alias AS (SELECT max(id) AS id, max(at) AS at FROM audit_log WHERE action IN ('alias.add', 'alias.remove'))
            SELECT (SELECT coalesce(string_agg(week_start::text || status || coalesce(published_at::text, '') || coalesce(withdrawn_at::text, '')
                                               || source_sha256, ',' ORDER BY week_start), '') FROM released)
                   || ';' || coalesce((SELECT id FROM alias), 0)::text,
                   greatest((SELECT max(published_at) FROM released), (SELECT max(withdrawn_at) FROM released), (SELECT at FROM alias))
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var state = reader.GetString(0);
        var changed = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
        return new DataVersion(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)))[..20], changed);
    }

    /// <summary>
    /// The file of this version with this name, written by <paramref name="write"/> (in the given language)
    /// if this node does not have it yet. The writing runs on its own, not as part of the request: a request
    /// that waits past <see cref="Wait"/> or hangs up leaves it going for the next one.
    /// </summary>
    public Task<StoredFile> GetAsync(
        string version, string name, string language, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        return GetOrWriteAsync(version, name, language, write).WaitAsync(Wait, cancellationToken);
    }

    /// <summary>As <see cref="GetAsync"/>, waiting as long as the writing takes (for one file written while another is).</summary>
    internal Task<StoredFile> GetOrWriteAsync(string version, string name, string language, Func<Stream, CancellationToken, Task> write)
    {
        var key = version + "/" + name;
        while (true)
        {
            var lazy = _writing.GetOrAdd(key, _ => new Lazy<Task<StoredFile>>(
                () => Task.Run(() => OpenOrWriteAsync(version, name, language, write)), LazyThreadSafetyMode.ExecutionAndPublication));
            var task = lazy.Value;
            // A writing that failed is tried again by the next request, once: the first to remove it starts the next.
            if (!task.IsFaulted && !task.IsCanceled)
                return task;
            _writing.TryRemove(new KeyValuePair<string, Lazy<Task<StoredFile>>>(key, lazy));
        }
    }

    private async Task<StoredFile> OpenOrWriteAsync(string version, string name, string language, Func<Stream, CancellationToken, Task> write)
    {
        var folder = Path.Combine(Root, version);
        var path = Path.Combine(folder, name);
        var sidecar = path + ".sha256";
        try
        {
            ForgetOtherVersions(version);
            if (File.Exists(path) && File.Exists(sidecar))
            {
                var stored = (await File.ReadAllTextAsync(sidecar)).Split(' ');
                return new StoredFile(path, long.Parse(stored[1], CultureInfo.InvariantCulture), stored[0], version);
            }

            Directory.CreateDirectory(folder);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".part";
            string sha;
            long size;
            var culture = CultureInfo.CurrentCulture;
            var uiCulture = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(language);
            try
            {
                await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
                await using var hashing = new HashingStream(file);
                await write(hashing, lifetime.ApplicationStopping);
                await hashing.FlushAsync(lifetime.ApplicationStopping);
                sha = Convert.ToHexStringLower(hashing.Finish());
                size = hashing.Length;
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = uiCulture;
            }
            // The sidecar first: a file present without its sidecar is written again, never served unmeasured.
            await File.WriteAllTextAsync(sidecar, $"{sha} {size.ToString(CultureInfo.InvariantCulture)}");
            File.Move(temporary, path, overwrite: true);
            Interlocked.Increment(ref _generations);
            LogWritten(name, version, size);
            return new StoredFile(path, size, sha, version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWriteFailed(e, name, version);
            throw;
        }
    }

    /// <summary>
    /// Once a newer version is asked for, the files of every other version go (on disk and in memory). A
    /// request still reading an old file keeps reading it: the system frees it when the last reader closes it.
    /// </summary>
    private void ForgetOtherVersions(string version)
    {
        lock (_cleanup)
        {
            if (_currentVersion == version)
                return;
            _currentVersion = version;
            // A writing still going on stays: forgetting it would let a request start the same file a second time.
            var busy = new HashSet<string>(StringComparer.Ordinal) { version };
            foreach (var (key, lazy) in _writing)
            {
                var keyVersion = key[..key.IndexOf('/', StringComparison.Ordinal)];
                if (keyVersion == version)
                    continue;
                if (lazy.IsValueCreated && lazy.Value.IsCompleted)
                    _writing.TryRemove(key, out _);
                else
                    busy.Add(keyVersion);
            }
            var root = Root;
            if (!Directory.Exists(root))
                return;
            foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !busy.Contains(Path.GetFileName(f))))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException e)
                {
                    LogCleanupFailed(e, folder);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Open-data file {Name} of version {Version} written, {Size} bytes")]
    private partial void LogWritten(string name, string version, long size);

    [LoggerMessage(LogLevel.Error, "Could not write the open-data file {Name} of version {Version}")]
    private partial void LogWriteFailed(Exception exception, string name, string version);

    [LoggerMessage(LogLevel.Warning, "Could not delete the old open-data folder {Folder}")]
    private partial void LogCleanupFailed(Exception exception, string folder);
}

/// <summary>Passes what is written on to a stream (or nowhere), counting and hashing it.</summary>
public sealed class HashingStream(Stream? inner = null) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public byte[] Finish() => _hash.GetHashAndReset();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        inner?.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _length += buffer.Length;
        if (inner is not null)
            await inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner?.FlushAsync(cancellationToken) ?? Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
