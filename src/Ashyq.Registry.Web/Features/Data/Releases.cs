using System.Security.Cryptography;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

public sealed record ReleaseFile(string Url, long Size, string Sha256);

/// <summary>
/// A week as it was released: when it was published (and withdrawn, and why), the SHA-256 of the file
/// the ministry sent, and each of its list downloads with the size and SHA-256 of what that address gives.
/// </summary>
public sealed record Release(
    string Week, DateTimeOffset? PublishedAt, DateTimeOffset? WithdrawnAt, string? WithdrawReason, string SourceSha256,
    IReadOnlyList<ReleaseFile> Downloads);

public sealed record ReleasesDocument(IReadOnlyList<Release> Releases);

public static class ReleasesQuery
{
    private static readonly ListKind[] Kinds = [ListKind.Leaders, ListKind.Outsiders, ListKind.Excluded];
    private static readonly string[] Formats = ["csv", "xlsx", "json"];

    /// <summary>
    /// Every published or withdrawn week, newest first. A published week's downloads are written out here
    /// exactly as their addresses (which name the language) write them, into a hash, never into memory whole.
    /// </summary>
    public static async Task<ReleasesDocument> LoadAsync(
        NpgsqlDataSource dataSource, HttpContext request, int exclusionWeeks, CancellationToken cancellationToken)
    {
        var weeks = new List<(DateOnly Week, string Status, DateTimeOffset? PublishedAt, DateTimeOffset? WithdrawnAt, string? Reason, string Sha)>();
        await using (var command = dataSource.CreateCommand($"""
            SELECT week_start, status, published_at, withdrawn_at, withdraw_reason, source_sha256
            FROM weeks WHERE status IN ('{WeekStatuses.Published}', '{WeekStatuses.Withdrawn}') ORDER BY week_start DESC
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                weeks.Add((reader.GetFieldValue<DateOnly>(0), reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5).Trim()));
            }
        }

        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var releases = new List<Release>(weeks.Count);
        foreach (var week in weeks)
        {
            var downloads = new List<ReleaseFile>();
            if (week.Status == WeekStatuses.Published)
            {
                foreach (var kind in Kinds)
                {
                    foreach (var format in Formats)
                    {
                        var url = $"/lists/{kind.Code()}.{format}?week={WeekDates.ToText(week.Week)}&{Languages.QueryKey}={Languages.Current}";
                        var download = new ListDownload(dataSource, new ListFilter(week.Week, kind), facts, format, exclusionWeeks);
                        downloads.Add(await MeasureAsync(url, download, request, cancellationToken));
                    }
                }
            }
            releases.Add(new Release(WeekDates.ToText(week.Week), week.PublishedAt, week.WithdrawnAt, week.Reason, week.Sha, downloads));
        }
        return new ReleasesDocument(releases);
    }

    private static async Task<ReleaseFile> MeasureAsync(string url, ListDownload download, HttpContext request, CancellationToken cancellationToken)
    {
        await using var hash = new HashingStream();
        var context = new DefaultHttpContext { RequestServices = request.RequestServices, RequestAborted = cancellationToken };
        context.Response.Body = hash;
        await download.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return new ReleaseFile(url, hash.Length, Convert.ToHexStringLower(hash.Finish()));
    }

    /// <summary>Takes what a download writes, counting and hashing it.</summary>
    private sealed class HashingStream : Stream
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
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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
}
