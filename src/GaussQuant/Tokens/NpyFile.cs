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
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{name}: not a .npy file (bad magic bytes)");
        int major = bytes[6];
        int headerLengthSize = major == 1 ? 2 : 4;
        if (major is < 1 or > 3)
            throw new InvalidDataException($"{name}: unsupported .npy version {major}.{bytes[7]}");
        int headerLength = headerLengthSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))
            : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = 8 + headerLengthSize + headerLength;
        if (dataStart > bytes.Length)
            throw new InvalidDataException($"{name}: truncated .npy header");
        string header = Encoding.Latin1.GetString(bytes, 8 + headerLengthSize, headerLength);

        var descr = DescrPattern().Match(header);
        var order = FortranOrderPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
            throw new InvalidDataException($"{name}: malformed .npy header: {header.Trim()}");
        if (order.Groups[1].Value == "True")
            throw new InvalidDataException($"{name}: Fortran-ordered arrays are not supported");
        string dtype = descr.Groups[1].Value.Replace("|", "<");
        long[] shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();

        int elementSize = ElementSize(dtype, name);
        long count = shape.Aggregate(1L, (product, side) => product * side);
        long expectedBytes = count * elementSize;
        if (bytes.Length - dataStart != expectedBytes)
            throw new InvalidDataException(
                $"{name}: expected {expectedBytes} bytes of data for shape [{string.Join(", ", shape)}], found {bytes.Length - dataStart} (truncated or corrupt)");
        return new NpyArray(dtype, shape, bytes[dataStart..]);
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

    private static byte[] Header(string dtype, long[] shape)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dictionary = $"{{'descr': '{(dtype == "<u1" ? "|u1" : dtype)}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int unpadded = Magic.Length + 2 + 2 + dictionary.Length + 1;
        int padding = (HeaderAlignment - unpadded % HeaderAlignment) % HeaderAlignment;
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
