using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Ashyq.Registry.Fuzz;

/// <summary>
/// Damages a valid export the ways real uploads and hostile ones are damaged. Every choice comes from the
/// given <see cref="Random"/>, so a case is reproduced from its seed and index alone; each mutation it
/// applies is written to <see cref="Log"/> so that a failing case can be read as well as replayed.
/// </summary>
public sealed class ExportMutator(Random random)
{
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3], [0x80], [0xFE], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ];

    private static readonly byte[][] Interesting =
    [
        [0x00], [(byte)'"'], [(byte)';'], [(byte)','], [(byte)'\t'], [(byte)'\r'], [(byte)'\n'], [(byte)'\r', (byte)'\n'], [(byte)'"', (byte)'"'],
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [(byte)'<'], [(byte)'>'], [(byte)'&'], "&#0;"u8.ToArray(), "]]>"u8.ToArray(), "Итого"u8.ToArray(),
        "БИН"u8.ToArray(), "-1"u8.ToArray(), "99999999999999999999"u8.ToArray(), "1e308"u8.ToArray(), "NaN"u8.ToArray(),
    ];

    private static readonly string[] Delimiters = [";", ",", "\t", "|", "\"", " ", ""];

    private const int MaxGrownBytes = 32 * 1024 * 1024;

    public List<string> Log { get; } = [];

    public byte[] MutateText(byte[] input, char delimiter)
    {
        var output = input;
        var rounds = 1 + random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            output = random.Next(17) switch
            {
                0 => Truncate(output),
                1 => FlipBits(output),
                2 => InsertBytes(output, Interesting[random.Next(Interesting.Length)], "special bytes"),
                3 => InsertBytes(output, RandomBytes(1 + random.Next(32)), "random bytes"),
                4 => DeleteRange(output),
                5 => DuplicateLine(output),
                6 => RemoveLine(output),
                7 => SwapLines(output),
                8 => SwapColumns(output, delimiter),
                9 => ReplaceDelimiters(output, delimiter),
                10 => InsertBytes(output, [(byte)'"'], "an unbalanced quote"),
                11 => InsertBytes(output, InvalidUtf8[random.Next(InvalidUtf8.Length)], "an invalid UTF-8 sequence"),
                12 => InsertBytes(output, [0], "a NUL byte"),
                13 => random.Next(4) == 0 ? LongField(output) : InsertBytes(output, RandomBytes(1 + random.Next(4)), "random bytes"),
                14 => ManyColumns(output, delimiter),
                15 => ManyRows(output),
                _ => ReplacePrefix(output),
            };
        }
        return output;
    }

    public byte[] MutateWorkbook(byte[] input)
    {
        var choice = random.Next(10);
        if (choice < 3)
        {
            var output = input;
            for (var i = 1 + random.Next(2); i > 0; i--)
            {
                output = random.Next(4) switch
                {
                    0 => Truncate(output),
                    1 => FlipBits(output),
                    2 => InsertBytes(output, RandomBytes(1 + random.Next(16)), "random bytes"),
                    _ => DeleteRange(output),
                };
            }
            return output;
        }
        if (choice < 5)
            return MutateZipStructure(input);
        return MutatePart(input);
    }

    private byte[] MutatePart(byte[] input)
    {
        var parts = ExportFuzzSeeds.Unzip(input) ?? throw new InvalidOperationException("A workbook seed must be a readable ZIP archive.");
        // The sheet and its shared strings are where the rows come from; the other parts are damaged less often.
        var index = random.Next(3) switch
        {
            0 or 1 => parts.FindIndex(part => part.Name.Contains("worksheets/", StringComparison.Ordinal)),
            _ => random.Next(parts.Count),
        };
        if (index < 0)
            index = random.Next(parts.Count);
        var (name, content) = parts[index];
        Log.Add($"part {name}:");
        switch (random.Next(12))
        {
            case 0:
                parts.RemoveAt(index);
                Log.Add("removed");
                break;
            case 1:
                parts[index] = (name, RandomBytes(random.Next(2000)));
                Log.Add("replaced by random bytes (not XML)");
                break;
            case 2:
                parts[index] = (name, MutateText(content, ' '));
                break;
            case 3:
                parts[index] = (name, WithDoctype(content));
                break;
            case 4:
                parts[index] = (name, DeepNesting(content));
                break;
            case 5:
                parts[index] = (name, RewriteCellValues(content));
                break;
            case 6:
                parts[index] = (name, RewriteAttributes(content));
                break;
            case 7:
                parts[index] = (name, DuplicateElement(content, "row"));
                break;
            case 8:
                parts.Insert(index, (name, RandomBytes(random.Next(100))));
                Log.Add("a second part of the same name before it");
                break;
            case 9:
                parts[index] = (random.Next(2) == 0 ? name.ToUpperInvariant() : name + ".bak", content);
                Log.Add("renamed");
                break;
            default:
                parts[index] = (name, RewriteCellValues(RewriteAttributes(content)));
                break;
        }
        var level = random.Next(4) == 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
        return ExportFuzzSeeds.Zip(level, [.. parts]);
    }

    private byte[] MutateZipStructure(byte[] input)
    {
        var output = (byte[])input.Clone();
        var end = LastIndexOf(output, [0x50, 0x4B, 0x05, 0x06]);
        if (end < 0 || end + 22 > output.Length)
            return FlipBits(output);
        var directoryStart = (int)BinaryPrimitives.ReadUInt32LittleEndian(output.AsSpan(end + 16));
        var headers = new List<int>();
        for (var at = directoryStart; at + 46 <= end && BinaryPrimitives.ReadUInt32LittleEndian(output.AsSpan(at)) == 0x02014B50;)
        {
            headers.Add(at);
            at += 46 + BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(at + 28)) + BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(at + 30))
                + BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(at + 32));
        }
        if (headers.Count == 0)
            return FlipBits(output);
        var header = headers[random.Next(headers.Count)];
        var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(output.AsSpan(header + 42));
        var entryName = Encoding.UTF8.GetString(output, header + 46, BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(header + 28)));
        uint[] absurd = [0, 1, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF, (uint)random.Next()];
        switch (random.Next(9))
        {
            case 0:
                for (var i = 1 + random.Next(8); i > 0; i--)
                    output[directoryStart + random.Next(end - directoryStart)] ^= (byte)(1 << random.Next(8));
                Log.Add("bits flipped in the central directory");
                break;
            case 1:
                {
                    var value = absurd[random.Next(absurd.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(header + 24), value);
                    if (local + 30 <= output.Length && random.Next(2) == 0)
                        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(local + 22), value);
                    Log.Add($"declared uncompressed size of {entryName} set to {value}");
                    break;
                }
            case 2:
                {
                    var value = absurd[random.Next(absurd.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(header + 20), value);
                    Log.Add($"declared compressed size of {entryName} set to {value}");
                    break;
                }
            case 3:
                {
                    ushort[] methods = [0, 1, 6, 9, 12, 14, 99, 0xFFFF];
                    var method = methods[random.Next(methods.Length)];
                    BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(header + 10), method);
                    if (local + 30 <= output.Length)
                        BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(local + 8), method);
                    Log.Add($"compression method of {entryName} set to {method}");
                    break;
                }
            case 4:
                BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(header + 8), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(header + 8)) | 1));
                if (local + 30 <= output.Length)
                    BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(local + 6), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(local + 6)) | 1));
                Log.Add($"{entryName} marked as encrypted");
                break;
            case 5:
                {
                    var value = absurd[random.Next(absurd.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(header + 42), value);
                    Log.Add($"local header offset of {entryName} set to {value}");
                    break;
                }
            case 6:
                {
                    var count = (ushort)random.Next(ushort.MaxValue + 1);
                    BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(end + 8), count);
                    BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(end + 10), count);
                    Log.Add($"entry count in the end record set to {count}");
                    break;
                }
            case 7:
                {
                    var value = absurd[random.Next(absurd.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(end + 16), value);
                    Log.Add($"central directory offset set to {value}");
                    break;
                }
            default:
                {
                    // Cut the compressed data of one entry short while the directory still describes it whole.
                    var dataStart = local + 30 + BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(local + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(local + 28));
                    var compressed = (int)BinaryPrimitives.ReadUInt32LittleEndian(output.AsSpan(header + 20));
                    if (compressed < 2 || dataStart + compressed > output.Length)
                        return FlipBits(output);
                    var keep = random.Next(compressed);
                    output = [.. output.AsSpan(0, dataStart + keep), .. output.AsSpan(dataStart + compressed)];
                    Log.Add($"{entryName} truncated to {keep} of {compressed} compressed bytes");
                    break;
                }
        }
        return output;
    }

    private byte[] WithDoctype(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var rootStart = FindRootElement(text);
        string doctype;
        string reference;
        if (random.Next(2) == 0)
        {
            var entities = new StringBuilder("<!ENTITY l0 \"lol\">");
            for (var i = 1; i < 10; i++)
                entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY l{i} \"&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};\">");
            doctype = $"<!DOCTYPE root [{entities}]>";
            reference = "&l9;";
            Log.Add("exponential entity expansion");
        }
        else
        {
            doctype = "<!DOCTYPE root [<!ENTITY ext SYSTEM \"file:///etc/passwd\"><!ENTITY % remote SYSTEM \"http://127.0.0.1:9/x.dtd\"> %remote;]>";
            reference = "&ext;";
            Log.Add("external entities");
        }
        var valueAt = text.IndexOf("<t", rootStart, StringComparison.Ordinal);
        var gt = valueAt < 0 ? -1 : text.IndexOf('>', valueAt);
        if (gt > 0)
            text = text.Insert(gt + 1, reference);
        return Encoding.UTF8.GetBytes(text.Insert(rootStart, doctype));
    }

    private byte[] DeepNesting(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var depth = random.Next(4) == 0 ? 100_000 : random.Next(1, 5_000);
        var at = text.IndexOf("<row", StringComparison.Ordinal);
        if (at < 0)
            at = FindRootElement(text);
        var element = random.Next(2) == 0 ? "row" : "a";
        var nested = new StringBuilder(depth * 10);
        for (var i = 0; i < depth; i++)
            nested.Append('<').Append(element).Append('>');
        if (random.Next(3) > 0)
        {
            for (var i = 0; i < depth; i++)
                nested.Append("</").Append(element).Append('>');
        }
        Log.Add($"{depth:N0} nested <{element}> elements{(nested.Length > depth * (element.Length + 2) ? "" : ", never closed")}");
        return Encoding.UTF8.GetBytes(text.Insert(at < 0 ? 0 : at, nested.ToString()));
    }

    private byte[] RewriteCellValues(byte[] content)
    {
        string[] values = ["-1", "4294967296", "99999999999", "1e308", "-1e308", "NaN", "INF", "", " ", "2958466", "-700000", "abc", "0x10", "1,5", "&#x1F;", "&amp;&lt;"];
        var text = Encoding.UTF8.GetString(content);
        var count = 1 + random.Next(5);
        for (var i = 0; i < count; i++)
        {
            var at = NthIndex(text, "<v>");
            if (at < 0)
                break;
            var close = text.IndexOf("</v>", at, StringComparison.Ordinal);
            if (close < 0)
                break;
            var value = values[random.Next(values.Length)];
            text = string.Concat(text.AsSpan(0, at + 3), value, text.AsSpan(close));
            Log.Add($"a cell value set to '{value}'");
        }
        return Encoding.UTF8.GetBytes(text);
    }

    private byte[] RewriteAttributes(byte[] content)
    {
        (string Name, string[] Values)[] rewrites =
        [
            ("r", ["A0", "XFD1", "XFE1", "ZZZZZZ1", "A1048577", "A2147483648", "A99999999999", "1A", "", "-A1", "AAAAAAAAAAAA1", "A-5"]),
            ("t", ["s", "n", "b", "e", "str", "inlineStr", "d", "zz", ""]),
            ("s", ["0", "1", "2", "9999", "-1", "x", "4294967296"]),
            ("ref", ["A1:XFD1048576", "A1:ZZZZZZ99999999", "", "Z9:A1"]),
            ("count", ["-1", "4294967296", "2147483647"]),
            ("numFmtId", ["14", "22", "164", "99999", "-1"]),
            ("formatCode", ["dd/mm/yyyy", "[h]:mm", "\"", "@", "General;;;", "0.0E+00", "yyyy-mm-dd hh:mm:ss.000000000"]),
            ("spans", ["1:16384", "1:99999999", "x"]),
        ];
        var text = Encoding.UTF8.GetString(content);
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var (name, values) = rewrites[random.Next(rewrites.Length)];
            var at = NthIndex(text, $" {name}=\"");
            if (at < 0)
                continue;
            var start = at + name.Length + 3;
            var close = text.IndexOf('"', start);
            if (close < 0)
                continue;
            var value = values[random.Next(values.Length)];
            text = string.Concat(text.AsSpan(0, start), value, text.AsSpan(close));
            Log.Add($"an attribute {name} set to '{value}'");
        }
        return Encoding.UTF8.GetBytes(text);
    }

    private byte[] DuplicateElement(byte[] content, string element)
    {
        var text = Encoding.UTF8.GetString(content);
        var at = NthIndex(text, $"<{element}");
        var end = at < 0 ? -1 : text.IndexOf($"</{element}>", at, StringComparison.Ordinal);
        if (end < 0)
            return MutateText(content, ' ');
        end += element.Length + 3;
        var block = text[at..end];
        var copies = Math.Min(random.Next(4) == 0 ? random.Next(1_000, 20_000) : random.Next(1, 10), Math.Max(1, MaxGrownBytes / 2 / block.Length));
        var repeated = new StringBuilder(block.Length * copies);
        for (var i = 0; i < copies; i++)
            repeated.Append(block);
        Log.Add($"a <{element}> repeated {copies:N0} times");
        return Encoding.UTF8.GetBytes(text.Insert(end, repeated.ToString()));
    }

    private byte[] Truncate(byte[] input)
    {
        var length = random.Next(input.Length + 1);
        Log.Add($"truncated to {length} of {input.Length} bytes");
        return input[..length];
    }

    private byte[] FlipBits(byte[] input)
    {
        if (input.Length == 0)
            return input;
        var output = (byte[])input.Clone();
        var flips = 1 + random.Next(8);
        for (var i = 0; i < flips; i++)
        {
            var at = random.Next(output.Length);
            output[at] ^= (byte)(1 << random.Next(8));
        }
        Log.Add($"{flips} bits flipped");
        return output;
    }

    private byte[] InsertBytes(byte[] input, byte[] bytes, string what)
    {
        var at = random.Next(input.Length + 1);
        Log.Add($"{what} inserted at {at}");
        return [.. input.AsSpan(0, at), .. bytes, .. input.AsSpan(at)];
    }

    private byte[] DeleteRange(byte[] input)
    {
        if (input.Length == 0)
            return input;
        var at = random.Next(input.Length);
        var length = Math.Min(input.Length - at, 1 + random.Next(64));
        Log.Add($"{length} bytes deleted at {at}");
        return [.. input.AsSpan(0, at), .. input.AsSpan(at + length)];
    }

    private byte[] LongField(byte[] input)
    {
        var length = random.Next(100_000, 1_500_000);
        var at = random.Next(input.Length + 1);
        var filler = new byte[length];
        Array.Fill(filler, (byte)(random.Next(2) == 0 ? 'x' : ' '));
        Log.Add($"a field of {length:N0} bytes inserted at {at}");
        return [.. input.AsSpan(0, at), .. filler, .. input.AsSpan(at)];
    }

    private byte[] ManyColumns(byte[] input, char delimiter)
    {
        var lines = SplitLines(input);
        var line = random.Next(lines.Count);
        var columns = random.Next(4) == 0 ? random.Next(10_000, 400_000) : random.Next(10, 2_000);
        var extra = new byte[columns * 2];
        for (var i = 0; i < columns; i++)
        {
            extra[i * 2] = (byte)delimiter;
            extra[(i * 2) + 1] = (byte)('a' + (i % 26));
        }
        lines[line] = [.. TrimLineEnd(lines[line]), .. extra, .. LineEnd(lines[line])];
        Log.Add($"{columns:N0} columns added to line {line + 1}");
        return Join(lines);
    }

    private byte[] ManyRows(byte[] input)
    {
        var lines = SplitLines(input);
        var line = random.Next(lines.Count);
        var copy = lines[line];
        // A one-line XML part repeated twenty thousand times would outgrow an array; a few tens of MB is plenty.
        var copies = Math.Min(random.Next(100, 20_000), Math.Max(1, MaxGrownBytes / Math.Max(1, copy.Length)));
        lines.InsertRange(line, Enumerable.Repeat(copy, copies));
        Log.Add($"line {line + 1} repeated {copies:N0} times");
        return Join(lines);
    }

    private byte[] DuplicateLine(byte[] input)
    {
        var lines = SplitLines(input);
        var line = random.Next(lines.Count);
        lines.Insert(random.Next(lines.Count + 1), lines[line]);
        Log.Add($"line {line + 1} duplicated");
        return Join(lines);
    }

    private byte[] RemoveLine(byte[] input)
    {
        var lines = SplitLines(input);
        var line = random.Next(lines.Count);
        lines.RemoveAt(line);
        Log.Add($"line {line + 1} removed");
        return Join(lines);
    }

    private byte[] SwapLines(byte[] input)
    {
        var lines = SplitLines(input);
        var (a, b) = (random.Next(lines.Count), random.Next(lines.Count));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        Log.Add($"lines {a + 1} and {b + 1} swapped");
        return Join(lines);
    }

    private byte[] SwapColumns(byte[] input, char delimiter)
    {
        var (a, b) = (random.Next(12), random.Next(12));
        var lines = SplitLines(input).Select(line =>
        {
            var cells = SplitOn(TrimLineEnd(line), (byte)delimiter);
            if (a < cells.Count && b < cells.Count)
                (cells[a], cells[b]) = (cells[b], cells[a]);
            var joined = new List<byte>();
            for (var i = 0; i < cells.Count; i++)
            {
                if (i > 0)
                    joined.Add((byte)delimiter);
                joined.AddRange(cells[i]);
            }
            return (byte[])[.. joined, .. LineEnd(line)];
        }).ToList();
        Log.Add($"columns {a + 1} and {b + 1} swapped");
        return Join(lines);
    }

    private byte[] ReplaceDelimiters(byte[] input, char delimiter)
    {
        var output = new List<byte>(input.Length);
        var replacement = Encoding.ASCII.GetBytes(Delimiters[random.Next(Delimiters.Length)]);
        var probability = random.NextDouble();
        foreach (var b in input)
        {
            if (b == delimiter && random.NextDouble() < probability)
                output.AddRange(replacement);
            else
                output.Add(b);
        }
        Log.Add($"about {probability:P0} of the delimiters replaced by '{Encoding.ASCII.GetString(replacement)}'");
        return [.. output];
    }

    private byte[] ReplacePrefix(byte[] input)
    {
        byte[][] prefixes =
        [
            [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06], [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], [0xFF, 0xFE], [0xFE, 0xFF],
            [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], "<?xml version=\"1.0\"?>"u8.ToArray(), "%PDF-1.4\n"u8.ToArray(), [0x1F, 0x8B, 0x08],
        ];
        var prefix = prefixes[random.Next(prefixes.Length)];
        var overwrite = random.Next(2) == 0;
        Log.Add($"{(overwrite ? "start overwritten with" : "prefixed with")} {Convert.ToHexString(prefix)}");
        return overwrite && input.Length >= prefix.Length ? [.. prefix, .. input.AsSpan(prefix.Length)] : [.. prefix, .. input];
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private int NthIndex(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            count++;
        if (count == 0)
            return -1;
        var wanted = random.Next(count);
        var found = text.IndexOf(value, StringComparison.Ordinal);
        for (var i = 0; i < wanted; i++)
            found = text.IndexOf(value, found + 1, StringComparison.Ordinal);
        return found;
    }

    private static int FindRootElement(string text)
    {
        for (var at = text.IndexOf('<', StringComparison.Ordinal); at >= 0; at = text.IndexOf('<', at + 1))
        {
            if (at + 1 < text.Length && text[at + 1] is not ('?' or '!'))
                return at;
        }
        return 0;
    }

    private static int LastIndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().LastIndexOf(needle);

    private static List<byte[]> SplitLines(byte[] input)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\n')
            {
                lines.Add(input[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < input.Length || lines.Count == 0)
            lines.Add(input[start..]);
        return lines;
    }

    private static List<byte[]> SplitOn(byte[] line, byte delimiter)
    {
        var cells = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || line[i] == delimiter)
            {
                cells.Add(line[start..i]);
                start = i + 1;
            }
        }
        return cells;
    }

    private static byte[] TrimLineEnd(byte[] line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is (byte)'\r' or (byte)'\n')
            end--;
        return line[..end];
    }

    private static byte[] LineEnd(byte[] line) => line[TrimLineEnd(line).Length..];

    private static byte[] Join(List<byte[]> lines)
    {
        var output = new byte[lines.Sum(line => line.Length)];
        var at = 0;
        foreach (var line in lines)
        {
            line.CopyTo(output, at);
            at += line.Length;
        }
        return output;
    }
}
