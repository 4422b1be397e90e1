using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// The messages of one import, kept in a temporary file rather than in memory, so a file with a
/// hundred thousand warnings costs no more memory than a clean one. Up to <see cref="Limit"/> are kept;
/// the rest are counted, and a quoted cell is cut to <see cref="MaxValueLength"/>. The file is deleted on dispose.
/// </summary>
internal sealed class MessageSpool : IDisposable
{
    /// <summary>A cell quoted in a message is cut to this length (a malformed file can hold a 100 MB cell).</summary>
    public const int MaxValueLength = 1000;

    private readonly FileStream _file;
    private readonly BinaryWriter _writer;

    public MessageSpool(string directory, int limit)
    {
        Limit = limit;
        var path = Path.Combine(directory, $"messages-{Guid.NewGuid():N}");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose);
        _writer = new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    public int Limit { get; }
    public int Count { get; private set; }
    public int Dropped { get; private set; }
    public int Warnings { get; private set; }

    public void Add(ExportMessage message)
    {
        if (message.Severity is MessageSeverity.FileWarning or MessageSeverity.RowWarning)
            Warnings++;
        if (Count >= Limit)
        {
            Dropped++;
            return;
        }
        Count++;
        _writer.Write((byte)message.Severity);
        _writer.Write(message.Code);
        // A message quotes the file, headers included: what it quotes must be storable (no NUL) and showable.
        _writer.Write(TextNormalizer.RemoveUnsafeCharacters(message.Message));
        _writer.Write(message.LineNo ?? -1);
        WriteNullable(message.Column is null ? null : TextNormalizer.RemoveUnsafeCharacters(message.Column));
        WriteNullable(message.Value is null ? null : TextNormalizer.RemoveUnsafeCharacters(
            message.Value.Length > MaxValueLength ? message.Value[..MaxValueLength] + "…" : message.Value));
        WriteNullable(message.Bin);
        // A message with no values at all (-1) is told from one whose code takes none (0): only the latter has its text.
        var args = message.Args ?? NoArgs;
        _writer.Write(message.Args is null ? -1 : args.Count);
        foreach (var (name, value) in args)
        {
            _writer.Write(name);
            _writer.Write(TextNormalizer.RemoveUnsafeCharacters(value));
        }
    }

    private static readonly Dictionary<string, string> NoArgs = [];

    /// <summary>Reads the kept messages back in the order they were added.</summary>
    public IEnumerable<ExportMessage> ReadAll()
    {
        _writer.Flush();
        var end = _file.Position;
        _file.Position = 0;
        using var reader = new BinaryReader(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            while (_file.Position < end)
            {
                var severity = (MessageSeverity)reader.ReadByte();
                var code = reader.ReadString();
                var text = reader.ReadString();
                var line = reader.ReadInt32();
                var column = ReadNullable(reader);
                var value = ReadNullable(reader);
                var bin = ReadNullable(reader);
                var count = reader.ReadInt32();
                Dictionary<string, string>? args = count < 0 ? null : new(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                    args![reader.ReadString()] = reader.ReadString();
                yield return new ExportMessage(severity, code, text, line < 0 ? null : line, column, value, bin, args);
            }
        }
        finally
        {
            _file.Position = end;
        }
    }

    /// <summary>Closes the file, which deletes it (it was opened delete-on-close).</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }

    private void WriteNullable(string? value)
    {
        _writer.Write(value is not null);
        if (value is not null)
            _writer.Write(value);
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
