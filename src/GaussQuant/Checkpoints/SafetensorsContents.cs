using System.Buffers.Binary;
using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// The tensors of a <c>.safetensors</c> stream: the header is parsed and every entry checked against its shape and the
/// stream's length when opened, and each tensor is read on request straight into its own memory, so that a caller can
/// take the tensors one at a time and leave out those it does not want without reading their bytes.
/// </summary>
internal sealed class SafetensorsContents
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private readonly Stream stream;
    private readonly string name;
    private readonly long dataStart;
    private readonly Dictionary<string, Entry> entries;

    private SafetensorsContents(Stream stream, string name, long dataStart, Dictionary<string, Entry> entries,
        IReadOnlyList<string> keys, Dictionary<string, string> metadata)
    {
        this.stream = stream;
        this.name = name;
        this.dataStart = dataStart;
        this.entries = entries;
        Keys = keys;
        Metadata = metadata;
    }

    private sealed record Entry(ScalarType DType, long[] Shape, long Begin, long Length);

    /// <summary>The tensors' names in the order of their bytes in the file.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The header's <c>__metadata__</c>.</summary>
    public Dictionary<string, string> Metadata { get; }

    public long[] ShapeOf(string key) => entries[key].Shape;

    /// <summary>Parses and checks the header; <paramref name="stream"/> (seekable) must stay open while tensors are read.</summary>
    /// <param name="name">Names the file in errors.</param>
    public static SafetensorsContents Open(Stream stream, string name)
    {
        if (!stream.CanSeek) throw new ArgumentException("reading .safetensors tensors one at a time needs a seekable stream", nameof(stream));
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) != 8)
            throw new InvalidDataException($"{name}: too short to be a .safetensors file");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 1 || headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{name}: not a .safetensors file (header length {headerLength})");
        if (headerLength > stream.Length - 8)
            throw new InvalidDataException($"{name}: truncated .safetensors header ({headerLength} bytes declared, the file holds {stream.Length - 8})");
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) != headerBytes.Length)
            throw new InvalidDataException($"{name}: truncated .safetensors header");
        var header = SafetensorsHeader.Parse(headerBytes, name);

        long dataStart = 8 + headerLength;
        long available = stream.Length - dataStart;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var keys = new List<string>();
        // Every entry is checked, wanted or not: a file that lies about one tensor is not trusted for the others.
        foreach (var (key, dtypeName, shape, begin, end) in header.Entries.OrderBy(e => e.Begin))
        {
            var dtype = ParseDType(dtypeName, name, key);
            long expected = ByteCount(shape, dtype);
            if (expected < 0 || end - begin != expected || begin < 0 || end > available)
                throw new InvalidDataException(
                    $"{name}: tensor '{key}' has byte range [{begin}, {end}) which does not fit its shape or the file (truncated?)");
            if (expected > Array.MaxLength)
                throw new InvalidDataException($"{name}: tensor '{key}' is {expected} bytes, larger than this reader handles (2 GiB)");
            entries[key] = new Entry(dtype, shape, begin, expected);
            keys.Add(key);
        }
        return new SafetensorsContents(stream, name, dataStart, entries, keys, header.Metadata);
    }

    /// <summary>Reads tensor <paramref name="key"/> into a new CPU tensor; the caller disposes it.</summary>
    public Tensor Read(string key)
    {
        var entry = entries.TryGetValue(key, out var found) ? found : throw new KeyNotFoundException($"{name}: no tensor '{key}'");
        var tensor = empty(entry.Shape, entry.DType);
        try
        {
            stream.Seek(dataStart + entry.Begin, SeekOrigin.Begin);
            if (entry.Length > 0 && stream.ReadAtLeast(tensor.bytes, (int)entry.Length, throwOnEndOfStream: false) != entry.Length)
                throw new InvalidDataException($"{name}: truncated data for tensor '{key}'");
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Bytes a tensor of this shape needs, or −1 for a negative or overflowing shape (a corrupt header).</summary>
    private static long ByteCount(long[] shape, ScalarType dtype)
    {
        try { return shape.Any(side => side < 0) ? -1 : shape.Aggregate(ScalarTypeSizes.Of(dtype), (product, side) => checked(product * side)); }
        catch (OverflowException) { return -1; }
    }

    private static ScalarType ParseDType(string dtype, string name, string key) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{name}: tensor '{key}' has unsupported dtype '{dtype}'"),
    };
}
