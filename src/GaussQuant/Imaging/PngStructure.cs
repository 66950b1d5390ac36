using System.Buffers.Binary;

namespace GaussQuant.Imaging;

/// <summary>
/// Reads a PNG's header chunk and chunk lengths without decoding, so that an impossible header is reported as what
/// it is (Skia's codec only says "incomplete input") and a file that declares far more pixels than its compressed
/// data can hold is refused before the pixel buffer is allocated.
/// </summary>
internal static class PngStructure
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Deflate's largest expansion: one 258-byte match per (at least) two bits, i.e. 1032 : 1.</summary>
    private const long MaxInflationRatio = 1032;

    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Signature);

    /// <summary>
    /// Throws an <see cref="InvalidDataException"/> naming the problem when the header chunk is malformed, or when the
    /// image data present cannot inflate to the rows the header declares (a truncated or lying file).
    /// </summary>
    public static void Check(ReadOnlySpan<byte> bytes, string name)
    {
        const int headerEnd = 8 + 8 + 13;
        if (bytes.Length < headerEnd + 4)
            throw new InvalidDataException($"{name}: not a readable image: the PNG file is truncated inside its header");
        if (!bytes[12..16].SequenceEqual("IHDR"u8) || BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) != 13)
            throw new InvalidDataException($"{name}: not a readable image: the PNG file does not start with its IHDR header chunk");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        int bitDepth = bytes[24], colourType = bytes[25], interlace = bytes[28];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw new InvalidDataException($"{name}: not a readable image: the PNG header declares {width}x{height} pixels");
        int channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0)
            throw new InvalidDataException($"{name}: not a readable image: invalid PNG colour type {colourType} (valid: 0, 2, 3, 4, 6)");
        if (!AllowedDepth(colourType, bitDepth))
            throw new InvalidDataException($"{name}: not a readable image: bit depth {bitDepth} is invalid for PNG colour type {colourType}");
        if (interlace > 1)
            throw new InvalidDataException($"{name}: not a readable image: invalid PNG interlace method {interlace}");

        long rowBytes = 1 + ((long)width * channels * bitDepth + 7) / 8;
        long rawBytes = rowBytes * height;
        long compressed = ImageDataBytes(bytes[8..]);
        // Interlacing adds at most one filter byte per row of each of the seven passes; the slack covers it.
        if (rawBytes > MaxInflationRatio * compressed + 8 * (long)height + 65536)
            throw new InvalidDataException(
                $"{name}: cannot decode the PNG image: the file is truncated or corrupt: it declares {width}x{height} pixels, " +
                $"but holds only {compressed} bytes of compressed image data");
    }

    private static bool AllowedDepth(int colourType, int bitDepth) => colourType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        _ => bitDepth is 8 or 16,
    };

    /// <summary>The summed lengths of the IDAT chunks that lie wholly or partly inside the file.</summary>
    private static long ImageDataBytes(ReadOnlySpan<byte> chunks)
    {
        long total = 0;
        int position = 0;
        while (position + 8 <= chunks.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(chunks[position..]);
            var type = chunks.Slice(position + 4, 4);
            long available = Math.Min(length, chunks.Length - (position + 8L));
            if (type.SequenceEqual("IDAT"u8)) total += available;
            if (type.SequenceEqual("IEND"u8) || available < length) break;
            position += (int)length + 12;
        }
        return total;
    }
}
