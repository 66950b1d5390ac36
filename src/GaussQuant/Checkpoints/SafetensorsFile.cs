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
    public static Dictionary<string, Tensor> Read(string path) => Read(path, out _);

    public static Dictionary<string, Tensor> Read(string path, out Dictionary<string, string> metadata)
    {
        using var stream = OpenForReading(path);
        return Read(stream, path, out metadata);
    }

    /// <summary>Every tensor of a seekable <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, string name, out Dictionary<string, string> metadata)
    {
        var contents = SafetensorsContents.Open(stream, name);
        metadata = contents.Metadata;
        return CheckpointReader.ReadEach(contents.Keys, contents.Read);
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

    private static FileStream OpenForReading(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"{path}: no such file", path); }
    }

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
