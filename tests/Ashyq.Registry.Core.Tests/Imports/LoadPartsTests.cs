using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Imports;

/// <summary>The parts the load is made of, each on its own: the COPY encoder, the read-ahead, the message spool.</summary>
public sealed class LoadPartsTests
{
    [Fact]
    public async Task CopyRowWriter_RowsWithNullsDatesAndATextLongerThanItsBuffer_ArriveInPostgreSqlAsWritten()
    {
        var connectionString = await TestCluster.CreateEmptyDatabaseAsync("copyrows");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE t (id bigint, label text, n integer, maybe integer, day date, note text)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var longText = string.Concat(Enumerable.Repeat("Қазақ «әріп» ", 10_000)); // about 130,000 UTF-8 bytes: past the 64 KB buffer

        await using (var copy = await connection.BeginRawBinaryCopyAsync("COPY t FROM STDIN (FORMAT BINARY)"))
        {
            var rows = new CopyRowWriter(copy);
            rows.StartRow(6);
            rows.BigInteger(1);
            rows.Text("ТОО \"Алма\"\t<b>;=1+1");
            rows.Integer(-5);
            rows.Integer((int?)null);
            rows.Date(new DateOnly(1999, 12, 31));
            rows.Text(null);
            rows.StartRow(6);
            rows.BigInteger(long.MaxValue);
            rows.Text(longText);
            rows.Integer(int.MaxValue);
            rows.Integer((int?)7);
            rows.Date(null);
            rows.Text("");
            rows.Complete();
        }

        await using var read = new NpgsqlCommand("SELECT id, label, n, maybe, day, note FROM t ORDER BY id", connection);
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal("ТОО \"Алма\"\t<b>;=1+1", reader.GetString(1));
        Assert.Equal(-5, reader.GetInt32(2));
        Assert.True(reader.IsDBNull(3));
        Assert.Equal(new DateOnly(1999, 12, 31), reader.GetFieldValue<DateOnly>(4));
        Assert.True(reader.IsDBNull(5));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(long.MaxValue, reader.GetInt64(0));
        Assert.Equal(longText, reader.GetString(1));
        Assert.Equal(int.MaxValue, reader.GetInt32(2));
        Assert.Equal(7, reader.GetInt32(3));
        Assert.True(reader.IsDBNull(4));
        Assert.Equal("", reader.GetString(5));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public void ReadAhead_SequenceFailsHalfWay_TheConsumerGetsEveryItemBeforeTheFailureThenTheFailureItself()
    {
        static IEnumerable<int> FailsAfter(int count)
        {
            for (var i = 0; i < count; i++)
                yield return i;
            throw new ExportFileException("corrupt_file", "broken at the end");
        }

        using var ahead = new ReadAhead<int>(FailsAfter(2_500), batchSize: 1024, batchesAhead: 2, CancellationToken.None);
        var seen = new List<int>();
        var error = Assert.Throws<ExportFileException>(() =>
        {
            foreach (var item in ahead.Items())
                seen.Add(item);
        });

        Assert.Equal("corrupt_file", error.Code);
        Assert.Equal(Enumerable.Range(0, 2_500), seen);
    }

    [Fact]
    public void ReadAhead_ConsumerStopsEarly_DisposeStopsTheReaderInsteadOfWaitingForTheEnd()
    {
        var produced = 0;
        IEnumerable<int> Endless()
        {
            while (true)
            {
                Interlocked.Increment(ref produced);
                yield return produced;
            }
        }

        var ahead = new ReadAhead<int>(Endless(), batchSize: 100, batchesAhead: 2, CancellationToken.None);
        Assert.Equal(1, ahead.Items().First());
        ahead.Dispose();

        // Bounded: at most the batches it may hold, the one it was filling and the one it was adding.
        Assert.InRange(Volatile.Read(ref produced), 1, 100 * 5);
    }

    [Fact]
    public void MessageSpool_PastItsLimit_KeepsTheFirstInOrderCountsTheRestAndShortensHugeValues()
    {
        using var spool = new MessageSpool(Path.GetTempPath(), limit: 3);
        spool.Add(new ExportMessage(MessageSeverity.RowWarning, "category_unknown", "Unknown category", 2, "category", "Прочее", "000000000000"));
        spool.Add(new ExportMessage(MessageSeverity.FileWarning, "title_week_mismatch", "Another week"));
        spool.Add(new ExportMessage(MessageSeverity.RowError, "bin_check_digit", "Bad BIN", 4, "bin", new string('7', 5_000)));
        spool.Add(new ExportMessage(MessageSeverity.RowWarning, "category_unknown", "Unknown category", 5));
        spool.Add(new ExportMessage(MessageSeverity.RowError, "bin_length", "Short BIN", 6));

        var kept = spool.ReadAll().ToList();

        Assert.Equal(3, spool.Count);
        Assert.Equal(2, spool.Dropped);
        Assert.Equal(3, spool.Warnings);
        Assert.Equal(["category_unknown", "title_week_mismatch", "bin_check_digit"], kept.Select(m => m.Code));
        Assert.Equal(new ExportMessage(MessageSeverity.RowWarning, "category_unknown", "Unknown category", 2, "category", "Прочее", "000000000000"), kept[0]);
        Assert.Null(kept[1].LineNo);
        Assert.Null(kept[1].Column);
        Assert.Equal(MessageSpool.MaxValueLength + 1, kept[2].Value!.Length);
        Assert.Equal(kept, spool.ReadAll().ToList());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BlockGzipWriter.BlockBytes)]
    [InlineData(2 * BlockGzipWriter.BlockBytes + 12_345)]
    public async Task BlockGzipWriter_AnySize_ReadsBackByteForByteWithTheSha256OfTheUpload(int length)
    {
        var upload = new byte[length];
        new Random(length).NextBytes(upload);
        // Half text, half noise: blocks that compress well and blocks that do not.
        var line = "БИН;Наименование;Кафе\r\n"u8.ToArray();
        for (var i = 0; i < length / 2; i++)
            upload[i] = line[i % line.Length];
        using var target = new MemoryStream();

        var (sha256, size) = await BlockGzipWriter.CopyAsync(new MemoryStream(upload), target, long.MaxValue, CancellationToken.None);

        Assert.Equal(length, size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(upload)), sha256);
        target.Position = 0;
        using var read = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(target, System.IO.Compression.CompressionMode.Decompress))
            await gzip.CopyToAsync(read);
        Assert.Equal(upload, read.ToArray());
    }

    [Fact]
    public async Task BlockGzipWriter_UploadPastTheLimit_IsRefusedWithTheLimit()
    {
        var upload = new MemoryStream(new byte[BlockGzipWriter.BlockBytes + 10]);

        var refused = await Assert.ThrowsAsync<UploadTooLargeException>(
            () => BlockGzipWriter.CopyAsync(upload, Stream.Null, BlockGzipWriter.BlockBytes + 9, CancellationToken.None));

        Assert.Equal(BlockGzipWriter.BlockBytes + 9, refused.Limit);
    }
}
