using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;
using GaussQuant.IO;

namespace GaussQuant.Checkpoints;

/// <summary>
/// Reads and writes the <c>.safetensors</c> format: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the raw little-endian tensor bytes.
/// Tensors come back on the CPU; the caller owns (and disposes) them.
/// </summary>
public static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static Dictionary<string, Tensor> Read(string path) => Read(path, out _);

    public static Dictionary<string, Tensor> Read(string path, out Dictionary<string, string> metadata)
    {
        using var stream = OpenForReading(path);
        return Read(stream, path, out metadata);
    }

    public static Dictionary<string, Tensor> Read(Stream stream, string name, out Dictionary<string, string> metadata)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) != 8)
            throw new InvalidDataException($"{name}: too short to be a .safetensors file");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 1 || headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{name}: not a .safetensors file (header length {headerLength})");
        if (stream.CanSeek && headerLength > stream.Length - 8)
            throw new InvalidDataException($"{name}: truncated .safetensors header ({headerLength} bytes declared, the file holds {stream.Length - 8})");
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) != headerBytes.Length)
            throw new InvalidDataException($"{name}: truncated .safetensors header");

        var header = SafetensorsHeader.Parse(headerBytes, name);
        metadata = header.Metadata;

        long dataStart = 8 + headerLength;
        long available = stream.CanSeek ? stream.Length - dataStart : long.MaxValue;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (key, dtypeName, shape, begin, end) in header.Entries.OrderBy(e => e.Begin))
            {
                var dtype = ParseDType(dtypeName, name, key);
                long expected = ByteCount(shape, dtype);
                if (expected < 0 || end - begin != expected || begin < 0 || end > available)
                    throw new InvalidDataException(
                        $"{name}: tensor '{key}' has byte range [{begin}, {end}) which does not fit its shape or the file (truncated?)");
                if (expected > Array.MaxLength)
                    throw new InvalidDataException($"{name}: tensor '{key}' is {expected} bytes, larger than this reader handles (2 GiB)");
                if (stream.CanSeek) stream.Seek(dataStart + begin, SeekOrigin.Begin);
                var bytes = new byte[expected];
                if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
                    throw new InvalidDataException($"{name}: truncated data for tensor '{key}'");
                var tensor = empty(shape, dtype);
                tensor.bytes = bytes;
                tensors[key] = tensor;
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>Writes tensors (any device; copied to the CPU) in key order, atomically (temporary file, then rename).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header[SafetensorsHeader.MetadataKey] = new JsonObject(metadata.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        var ordered = tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var (key, tensor) in ordered)
        {
            long length = tensor.numel() * ScalarTypeSizes.Of(tensor.dtype);
            header[key] = new JsonObject
            {
                ["dtype"] = DTypeName(tensor.dtype, key),
                ["shape"] = new JsonArray(tensor.shape.Select(side => (JsonNode?)side).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - headerBytes.Length % 8) % 8;

        using var file = AtomicFile.Create(path);
        var stream = file.Stream;
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, headerBytes.Length + padding);
        stream.Write(lengthBytes);
        stream.Write(headerBytes);
        for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
        foreach (var (_, tensor) in ordered)
        {
            using var onCpu = tensor.detach().cpu().contiguous();
            stream.Write(onCpu.bytes);
        }
        file.Commit();
    }

    /// <summary>Bytes a tensor of this shape needs, or −1 for a negative or overflowing shape (a corrupt header).</summary>
    private static long ByteCount(long[] shape, ScalarType dtype)
    {
        try { return shape.Any(side => side < 0) ? -1 : shape.Aggregate(ScalarTypeSizes.Of(dtype), (product, side) => checked(product * side)); }
        catch (OverflowException) { return -1; }
    }

    private static FileStream OpenForReading(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"{path}: no such file", path); }
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

    private static string DTypeName(ScalarType dtype, string key) => dtype switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"tensor '{key}' has dtype {dtype}, which .safetensors cannot store"),
    };
}
