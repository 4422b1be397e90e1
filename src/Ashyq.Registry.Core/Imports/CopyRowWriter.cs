using System.Buffers.Binary;
using System.Text;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format straight into a buffer of bytes: a field count per
/// row, then each field as its length and its bytes in network order (-1 for NULL), between the
/// format's fixed header and trailer. Encoding a million rows this way costs a fraction of a
/// parameter-bound write per field, and leaves the server nothing to parse.
/// </summary>
internal sealed class CopyRowWriter
{
    // "PGCOPY\n\377\r\n\0", then the flags and the header extension's length, both zero.
    private static readonly byte[] Header = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private readonly Stream _target;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;

    public CopyRowWriter(Stream target)
    {
        _target = target;
        Header.CopyTo(_buffer, 0);
        _used = Header.Length;
    }

    public void StartRow(short fields)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), fields);
        _used += 2;
    }

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most + 4 > _buffer.Length)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Ensure(4);
            BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), bytes.Length);
            _used += 4;
            Flush();
            _target.Write(bytes);
            return;
        }
        Ensure(most + 4);
        var length = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), length);
        _used += 4 + length;
    }

    /// <summary>A jsonb value: the format's version byte, then the JSON text.</summary>
    public void Jsonb(byte[]? utf8Json)
    {
        if (utf8Json is null)
        {
            Null();
            return;
        }
        Ensure(5);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), utf8Json.Length + 1);
        _buffer[_used + 4] = 1;
        _used += 5;
        if (utf8Json.Length > _buffer.Length)
        {
            Flush();
            _target.Write(utf8Json);
            return;
        }
        Ensure(utf8Json.Length);
        utf8Json.CopyTo(_buffer.AsSpan(_used));
        _used += utf8Json.Length;
    }

    public void Integer(int value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), 4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used + 4), value);
        _used += 8;
    }

    public void Integer(int? value)
    {
        if (value is { } number)
            Integer(number);
        else
            Null();
    }

    public void BigInteger(long value)
    {
        Ensure(12);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_used + 4), value);
        _used += 12;
    }

    public void Date(DateOnly? value)
    {
        if (value is not { } date)
        {
            Null();
            return;
        }
        Integer(date.DayNumber - PostgresEpochDay);
    }

    public void Null()
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), -1);
        _used += 4;
    }

    /// <summary>Writes the trailer and sends what is left; the caller then closes the COPY.</summary>
    public void Complete()
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), -1);
        _used += 2;
        Flush();
    }

    private void Ensure(int bytes)
    {
        if (_used + bytes > _buffer.Length)
            Flush();
    }

    private void Flush()
    {
        _target.Write(_buffer, 0, _used);
        _used = 0;
    }
}
