using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using GaussQuant.IO;

namespace GaussQuant.Tokens;

/// <summary>An array read from a NumPy <c>.npy</c> file: its element type, shape and raw little-endian bytes.</summary>
public sealed record NpyArray(string DType, long[] Shape, byte[] Data)
{
    public long ElementCount => Shape.Aggregate(1L, (product, side) => product * side);

    public T[] ToArray<T>() where T : unmanaged
    {
        string expected = NpyFile.DTypeOf<T>();
        if (DType != expected)
            throw new InvalidDataException($"the array holds {DType} values, not {expected}");
        return MemoryMarshal.Cast<byte, T>(Data).ToArray();
    }
}

/// <summary>
/// Reads and writes NumPy's <c>.npy</c> format, version 1.0, little-endian, C order, for the element types
/// GaussQuant exchanges (float32 codebooks, int64 tokens). Writes go to a temporary file that is renamed
/// into place, so an interrupted write never leaves a truncated array behind.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int HeaderAlignment = 64;
    private const int MaxHeaderBytes = 1 << 20;

    public static void Write<T>(string path, ReadOnlySpan<T> values, params long[] shape) where T : unmanaged
    {
        long count = shape.Aggregate(1L, (product, side) => product * side);
        if (count != values.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} values, but {values.Length} were given");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("writing .npy files needs a little-endian machine");

        using var file = AtomicFile.Create(path);
        file.Stream.Write(Header(DTypeOf<T>(), shape));
        file.Stream.Write(MemoryMarshal.AsBytes(values));
        file.Commit();
    }

    public static NpyArray Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException error) { throw new InvalidDataException($"{path}: cannot read: {error.Message}", error); }
        return Parse(bytes, path);
    }

    public static NpyArray Parse(byte[] bytes, string name)
    {
        var header = ParseHeader(bytes, name);
        RequireDataLength(header, bytes.Length - header.DataOffset, name);
        return new NpyArray(header.DType, header.Shape, bytes[(int)header.DataOffset..]);
    }

    /// <summary>
    /// Reads only the header of an open, seekable <c>.npy</c> stream and checks that the stream is as
    /// long as the header says, so that large arrays can be read in pieces. The stream is left at the data.
    /// </summary>
    internal static NpyHeader ReadHeader(Stream stream, string name)
    {
        var prefix = new byte[12];
        int read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        int dataStart = DataStart(prefix.AsSpan(0, read), name);
        var headerBytes = new byte[dataStart];
        stream.Position = 0;
        if (stream.ReadAtLeast(headerBytes, dataStart, throwOnEndOfStream: false) != dataStart)
            throw new InvalidDataException($"{name}: truncated .npy header");
        var header = ParseHeader(headerBytes, name);
        RequireDataLength(header, stream.Length - header.DataOffset, name);
        return header;
    }

    private static void RequireDataLength(NpyHeader header, long available, string name)
    {
        if (available != header.DataBytes)
            throw new InvalidDataException(
                $"{name}: expected {header.DataBytes} bytes of data for shape [{string.Join(", ", header.Shape)}], found {available} (truncated or corrupt)");
    }

    private static int DataStart(ReadOnlySpan<byte> prefix, string name)
    {
        if (prefix.Length < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{name}: not a .npy file (bad magic bytes)");
        int major = prefix[6];
        if (major is < 1 or > 3)
            throw new InvalidDataException($"{name}: unsupported .npy version {major}.{prefix[7]}");
        if (major == 1)
            return 10 + BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        if (prefix.Length < 12)
            throw new InvalidDataException($"{name}: truncated .npy header");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{name}: the .npy header claims {headerLength} bytes (corrupt file)");
        return 12 + (int)headerLength;
    }

    private static NpyHeader ParseHeader(ReadOnlySpan<byte> bytes, string name)
    {
        int dataStart = DataStart(bytes, name);
        if (dataStart > bytes.Length)
            throw new InvalidDataException($"{name}: truncated .npy header");
        int textStart = bytes[6] == 1 ? 10 : 12;
        string header = Encoding.Latin1.GetString(bytes[textStart..dataStart]);

        var descr = DescrPattern().Match(header);
        var order = FortranOrderPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
            throw new InvalidDataException($"{name}: malformed .npy header: {header.Trim()}");
        if (order.Groups[1].Value == "True")
            throw new InvalidDataException($"{name}: Fortran-ordered arrays are not supported");
        string dtype = descr.Groups[1].Value.Replace("|", "<");
        long[] shape;
        try
        {
            shape = shapeMatch.Groups[1].Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(long.Parse).ToArray();
        }
        catch (Exception error) when (error is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{name}: malformed .npy shape: {shapeMatch.Groups[1].Value}", error);
        }
        if (shape.Any(side => side < 0))
            throw new InvalidDataException($"{name}: negative side in the .npy shape [{string.Join(", ", shape)}]");

        int elementSize = ElementSize(dtype, name);
        long count = 1;
        foreach (long side in shape)
            count = side == 0 || count <= long.MaxValue / elementSize / side ? count * side
                : throw new InvalidDataException($"{name}: the .npy shape [{string.Join(", ", shape)}] is impossibly large");
        return new NpyHeader(dtype, shape, dataStart, count * elementSize);
    }

    internal static string DTypeOf<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => "<f4",
        var t when t == typeof(double) => "<f8",
        var t when t == typeof(long) => "<i8",
        var t when t == typeof(int) => "<i4",
        var t when t == typeof(byte) => "<u1",
        _ => throw new NotSupportedException($"no .npy element type for {typeof(T).Name}"),
    };

    private static int ElementSize(string dtype, string name) => dtype switch
    {
        "<f4" or "<i4" => 4,
        "<f8" or "<i8" => 8,
        "<u1" => 1,
        _ => throw new InvalidDataException($"{name}: unsupported element type '{dtype}' (expected <f4, <f8, <i4, <i8 or |u1)"),
    };

    /// <param name="totalLength">
    /// Bytes the header must take (a multiple of 64, at least what it needs); 0 for the smallest aligned length. Lets a
    /// writer reserve room for a header whose shape is only known at the end.
    /// </param>
    internal static byte[] Header(string dtype, long[] shape, int totalLength = 0)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dictionary = $"{{'descr': '{(dtype == "<u1" ? "|u1" : dtype)}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int unpadded = Magic.Length + 2 + 2 + dictionary.Length + 1;
        int padding = (HeaderAlignment - unpadded % HeaderAlignment) % HeaderAlignment;
        if (totalLength > 0)
        {
            if (totalLength % HeaderAlignment != 0 || totalLength < unpadded + padding)
                throw new ArgumentException($"a .npy header for shape [{string.Join(", ", shape)}] cannot take exactly {totalLength} bytes");
            padding = totalLength - unpadded;
        }
        string text = dictionary + new string(' ', padding) + "\n";

        var header = new byte[Magic.Length + 4 + text.Length];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)text.Length);
        Encoding.Latin1.GetBytes(text).CopyTo(header, 10);
        return header;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([<|>][a-z]\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
