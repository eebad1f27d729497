using System.Buffers.Binary;

namespace Factory.OpcUa.Fuzz;

/// <summary>
/// Turns a valid encoding into a nearly valid one. The mutations are the classic ones (bit flips,
/// interesting bytes, truncation, splicing, insertion, deletion, duplication) plus one that knows
/// the binary encoding: it finds Int32 fields that look like lengths (5.2.2.4, 5.2.5) and makes
/// them huge, negative or off by one, which is where decoders over-allocate or over-read.
/// </summary>
public static class Mutator
{
    /// <summary>Inputs are kept below this size so that duplication cannot grow them without end.</summary>
    public const int MaxInputLength = 64 * 1024;

    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x40, 0xC0, 0x3F, 0x19, 0x1A, 0x98, 0x17];

    private static readonly int[] InterestingInt32s =
    [
        -1, -2, 0, 1, 2, 3, 4, 16, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 0x100000, 0x100001, 0x1000000,
        0x3FFFFFFF, 0x40000000, 0x7FFFFFFE, int.MaxValue, int.MinValue, int.MinValue + 1,
    ];

    private static readonly string[] Names =
    [
        "flip-bit", "interesting-byte", "interesting-int32", "length-field", "truncate", "splice",
        "insert", "delete", "duplicate", "arithmetic", "random-bytes", "copy-over",
    ];

    /// <summary>The names of the mutations, in the order <see cref="Apply"/> numbers them.</summary>
    public static IReadOnlyList<string> MutationNames => Names;

    /// <summary>
    /// One to eight stacked mutations of <paramref name="input"/>; <paramref name="pool"/> supplies
    /// the other half of a splice.
    /// </summary>
    public static byte[] Mutate(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> pool)
    {
        var data = new List<byte>(input);
        var count = random.OneIn(8) ? random.Next(4, 9) : random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            Apply(random.Next(Names.Length), data, random, pool);
        }

        if (data.Count > MaxInputLength)
        {
            data.RemoveRange(MaxInputLength, data.Count - MaxInputLength);
        }

        return [.. data];
    }

    public static void Apply(int mutation, List<byte> data, FuzzRandom random, IReadOnlyList<byte[]> pool)
    {
        switch (mutation)
        {
            case 0 when data.Count > 0:
                data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[random.Next(data.Count)] = random.Pick(InterestingBytes);
                break;
            case 2 when data.Count >= 4:
                WriteInt32(data, random.Next(data.Count - 3), random.Pick(InterestingInt32s));
                break;
            case 3:
                MutateLengthField(data, random);
                break;
            case 4 when data.Count > 0:
                var keep = random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 5 when pool.Count > 0:
                var other = random.Pick(pool);
                var cut = random.Next(data.Count + 1);
                var from = random.Next(other.Length + 1);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.AsSpan(from).ToArray());
                break;
            case 6:
                var inserted = new byte[random.Next(1, 9)];
                if (random.OneIn(2))
                {
                    random.NextBytes(inserted);
                }
                else
                {
                    inserted.AsSpan().Fill(random.Pick(InterestingBytes));
                }

                data.InsertRange(random.Next(data.Count + 1), inserted);
                break;
            case 7 when data.Count > 1:
                var start = random.Next(data.Count);
                data.RemoveRange(start, random.Next(1, Math.Min(16, data.Count - start) + 1));
                break;
            case 8 when data.Count > 0:
                // Repeating a range nests what it holds (a Variant array header, a DiagnosticInfo mask).
                var at = random.Next(data.Count);
                var length = random.Next(1, Math.Min(32, data.Count - at) + 1);
                var range = data.GetRange(at, length);
                var times = random.OneIn(4) ? random.Next(2, 64) : 1;
                for (var i = 0; i < times; i++)
                {
                    data.InsertRange(at, range);
                }

                break;
            case 9 when data.Count > 0:
                var index = random.Next(data.Count);
                data[index] = (byte)(data[index] + random.Next(-8, 9));
                break;
            case 10 when data.Count > 0:
                var position = random.Next(data.Count);
                for (var i = position; i < Math.Min(data.Count, position + random.Next(1, 9)); i++)
                {
                    data[i] = (byte)random.NextUInt32();
                }

                break;
            case 11 when data.Count > 1:
                var source = random.Next(data.Count);
                var target = random.Next(data.Count);
                var span = Math.Min(random.Next(1, 17), Math.Min(data.Count - source, data.Count - target));
                var copy = data.GetRange(source, span);
                for (var i = 0; i < span; i++)
                {
                    data[target + i] = copy[i];
                }

                break;
            default:
                // The mutation does not apply to an input this short: grow it instead.
                data.Add(random.Pick(InterestingBytes));
                break;
        }
    }

    /// <summary>
    /// Finds an Int32 whose value could be the length of what follows it (a String, ByteString,
    /// array or ExtensionObject body, or -1 for null) and replaces it with a hostile length.
    /// </summary>
    private static void MutateLengthField(List<byte> data, FuzzRandom random)
    {
        if (data.Count < 4)
        {
            return;
        }

        Span<byte> field = stackalloc byte[4];
        var candidates = new List<int>();
        for (var i = 0; i + 4 <= data.Count; i++)
        {
            field[0] = data[i];
            field[1] = data[i + 1];
            field[2] = data[i + 2];
            field[3] = data[i + 3];
            var value = BinaryPrimitives.ReadInt32LittleEndian(field);
            if (value == -1 || (value >= 0 && value <= data.Count - i - 4))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            return;
        }

        var at = random.Pick(candidates);
        for (var i = 0; i < 4; i++)
        {
            field[i] = data[at + i];
        }

        var old = BinaryPrimitives.ReadInt32LittleEndian(field);
        var hostile = random.Next(8) switch
        {
            0 => int.MaxValue,
            1 => 0x40000000,
            2 => -random.Next(1, 1000),
            3 => old + 1,
            4 => old - 1,
            5 => old * 2 + 1,
            6 => data.Count,
            _ => random.Pick(InterestingInt32s),
        };
        WriteInt32(data, at, hostile);
    }

    private static void WriteInt32(List<byte> data, int at, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        for (var i = 0; i < 4; i++)
        {
            data[at + i] = bytes[i];
        }
    }
}
