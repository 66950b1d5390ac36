using System.Buffers.Binary;

namespace GaussQuant.Fuzz;

/// <summary>
/// Turns seed files into hostile variants, deterministically from a seed: bit flips, random and boundary bytes,
/// boundary integers (1, 2, 4 or 8 bytes, either byte order), deleted, duplicated and spliced ranges, truncation,
/// and the format's own tokens inserted or written over (chunk names, markers, YAML and JSON syntax).
/// </summary>
internal sealed class Mutator(Random random, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]> tokens, int maxLength)
{
    private static readonly byte[] BoundaryBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, (byte)'0', (byte)'9', (byte)'-'];

    private static readonly long[] BoundaryIntegers =
        [0, 1, -1, 2, 7, 8, 16, 255, 256, 65535, 65536, int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue, 1L << 32, 1L << 61, long.MaxValue, long.MinValue];

    public byte[] Next()
    {
        var data = new List<byte>(seeds[random.Next(seeds.Count)]);
        // Mostly one or two edits, now and then a burst: small edits get past checksums and magic numbers.
        int edits = random.Next(8) == 0 ? random.Next(3, 16) : random.Next(1, 3);
        for (int edit = 0; edit < edits; edit++) Edit(data);
        if (data.Count > maxLength) data.RemoveRange(maxLength, data.Count - maxLength);
        return [.. data];
    }

    private void Edit(List<byte> data)
    {
        if (data.Count == 0)
        {
            data.AddRange(tokens.Count > 0 ? tokens[random.Next(tokens.Count)] : [0]);
            return;
        }
        int at = random.Next(data.Count);
        switch (random.Next(11))
        {
            case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
            case 1: data[at] = (byte)random.Next(256); break;
            case 2: data[at] = BoundaryBytes[random.Next(BoundaryBytes.Length)]; break;
            case 3: WriteInteger(data, at); break;
            case 4: data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64))); break;
            case 5:
                int length = Math.Min(data.Count - at, 1 + random.Next(256));
                data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                break;
            case 6 when tokens.Count > 0: data.InsertRange(at, tokens[random.Next(tokens.Count)]); break;
            case 7 when tokens.Count > 0:
                byte[] token = tokens[random.Next(tokens.Count)];
                for (int i = 0; i < token.Length && at + i < data.Count; i++) data[at + i] = token[i];
                break;
            case 8: data.RemoveRange(at, data.Count - at); break;
            case 9:
                byte[] other = seeds[random.Next(seeds.Count)];
                int from = random.Next(other.Length);
                data.RemoveRange(at, data.Count - at);
                data.AddRange(other.AsSpan(from).ToArray());
                break;
            default: data[at] = (byte)(data[at] + random.Next(-4, 5)); break;
        }
    }

    private void WriteInteger(List<byte> data, int at)
    {
        long value = BoundaryIntegers[random.Next(BoundaryIntegers.Length)] + random.Next(-1, 2);
        int width = 1 << random.Next(4);
        Span<byte> bytes = stackalloc byte[8];
        if (random.Next(2) == 0) BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        else BinaryPrimitives.WriteInt64BigEndian(bytes, value << (8 * (8 - width)));
        for (int i = 0; i < width && at + i < data.Count; i++) data[at + i] = bytes[i];
    }
}
