using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Permits.Security.Tests;

/// <summary>
/// Spoils a valid request one field at a time, from a seeded generator: boundary strings (NUL and other control
/// characters, bidi overrides, very long, emoji, lone surrogates, SQL and HTML), numbers out of range, impossible
/// dates, unknown enum values, fields left out, lists emptied or flooded, bytes that are no file.
/// </summary>
public sealed class Mutations(Random random)
{
    public static readonly string[] Strings =
    [
        "\0", "a\0b", "\u0001", "\u0007bell", "\b", "\u001b[31mred", "\u001f", "\u007f", "\u0085", "\u009b", "\v", "\f",
        "名字\u202e)gpj.exe", "\u202d", "\u2066隔离\u2069", "\u200b", "\ufeff", "\u2028", "\ud800", "\udfff", "😀👨‍👩‍👧", "𠜎𠜱",
        "' OR '1'='1' --", "'); DROP TABLE applications; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)", "%' AND 1=1 --",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://127.0.0.1/x}",
        "../../../etc/passwd", "C:\\Windows\\win.ini", "", " ", "   \t  ", "\r\n", "-", "0", "-1", "NaN", "null",
        "１２３４５６", "ＡＢＣ", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "e\u0301", "İ", "ß",
    ];

    public static readonly string[] Dates =
    [
        "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-1", "20261206", "-2026-01-01",
        "2026-12-06T25:00:00", "yesterday", "2026/12/06", "1900-01-01", "2100-01-01",
    ];

    private static readonly long[] Integers = [long.MinValue, int.MinValue, -1, 0, 1, int.MaxValue, long.MaxValue, 99999];
    private static readonly double[] Doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, 0, 1e308, double.Epsilon, -0.0];

    /// <summary>A boundary string: alone, or spliced into the field's own value (so length checks pass).</summary>
    public string String(string original)
    {
        var pick = random.Next(20) switch
        {
            0 => new string('长', random.Next(2, 6) * 1000),
            1 => new string('a', 70_000),
            2 => Dates[random.Next(Dates.Length)],
            _ => Strings[random.Next(Strings.Length)],
        };
        if (original.Length == 0 || random.Next(3) == 0)
        {
            return pick;
        }

        var at = random.Next(original.Length + 1);
        return original[..at] + pick + original[at..];
    }

    /// <summary>Spoils one to three fields, descending into nested messages.</summary>
    public void Apply(IMessage message)
    {
        // Mostly one field, so the rest stays valid and the spoiled value reaches the handler and the database.
        var times = random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
        for (var i = 0; i < times; i++)
        {
            MutateOne(message, depth: 0);
        }
    }

    private void MutateOne(IMessage message, int depth)
    {
        var fields = message.Descriptor.Fields.InDeclarationOrder();
        if (fields.Count == 0)
        {
            return;
        }

        var field = fields[random.Next(fields.Count)];
        var accessor = field.Accessor;
        if (field.IsMap)
        {
            return;
        }

        if (field.IsRepeated)
        {
            var list = (System.Collections.IList)accessor.GetValue(message);
            switch (random.Next(3))
            {
                case 0:
                    list.Clear();
                    break;
                case 1 when field.FieldType == FieldType.String:
                    for (var n = random.Next(1, 400); n > 0; n--)
                    {
                        list.Add(String(""));
                    }

                    break;
                default:
                    if (list.Count > 0 && list[0] is IMessage item && depth < 3)
                    {
                        MutateOne(item, depth + 1);
                    }
                    else if (list.Count > 0 && field.FieldType == FieldType.String)
                    {
                        list[0] = String((string)list[0]!);
                    }
                    else if (field.FieldType == FieldType.Enum)
                    {
                        list.Add(Enum.ToObject(field.EnumType.ClrType, random.Next(2) == 0 ? 999 : -1));
                    }

                    break;
            }

            return;
        }

        if (random.Next(8) == 0)
        {
            accessor.Clear(message);
            return;
        }

        switch (field.FieldType)
        {
            case FieldType.String:
                accessor.SetValue(message, String((string)accessor.GetValue(message)));
                break;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                accessor.SetValue(message, (int)Math.Clamp(Integers[random.Next(Integers.Length)], int.MinValue, int.MaxValue));
                break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                accessor.SetValue(message, Integers[random.Next(Integers.Length)]);
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                accessor.SetValue(message, uint.MaxValue);
                break;
            case FieldType.UInt64 or FieldType.Fixed64:
                accessor.SetValue(message, ulong.MaxValue);
                break;
            case FieldType.Double:
                accessor.SetValue(message, Doubles[random.Next(Doubles.Length)]);
                break;
            case FieldType.Float:
                accessor.SetValue(message, (float)Doubles[random.Next(Doubles.Length)]);
                break;
            case FieldType.Bool:
                accessor.SetValue(message, !(bool)accessor.GetValue(message));
                break;
            case FieldType.Enum:
                accessor.SetValue(message, Enum.ToObject(field.EnumType.ClrType, random.Next(3) switch { 0 => 999, 1 => -1, _ => 0 }));
                break;
            case FieldType.Bytes:
                accessor.SetValue(message, Bytes());
                break;
            case FieldType.Message:
                if (accessor.GetValue(message) is IMessage nested && depth < 3)
                {
                    MutateOne(nested, depth + 1);
                }
                else
                {
                    accessor.Clear(message);
                }

                break;
        }
    }

    /// <summary>No file, or a file that is two at once.</summary>
    public ByteString Bytes()
    {
        byte[] content = random.Next(6) switch
        {
            0 => [],
            1 => [0xFF, 0xD8, 0xFF, 0xE0, .. "<html><script>alert(1)</script></html>"u8.ToArray()],
            2 => [.. "%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"u8.ToArray()],
            3 => [.. Seed.TinyPng.ToByteArray(), .. "PK\u0003\u0004"u8.ToArray(), .. new byte[64]],
            4 => new byte[random.Next(1, 3) * 1024 * 1024],
            _ => RandomBytes(random.Next(1, 4096)),
        };
        return ByteString.CopyFrom(content);
    }

    /// <summary>Bytes that are (very likely) no valid protobuf message.</summary>
    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Malformed protobuf: a length that runs past the end, a bad wire type, a truncated varint, or noise.</summary>
    public byte[] MalformedProtobuf() => random.Next(4) switch
    {
        0 => [0x0A, 0xFF, 0x01, 0x41],
        1 => [0x0F, 0x01],
        2 => [0x08, 0xFF, 0xFF, 0xFF],
        _ => RandomBytes(random.Next(1, 64)),
    };
}
