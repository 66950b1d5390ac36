using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GaussQuant.Pipelines;

/// <summary>
/// Writes a float64 array as the base64 of its little-endian bytes: exact, and a quarter of the size of decimal text
/// for the 2048 × 2048 feature scatter matrix an evaluation shard carries.
/// </summary>
internal sealed class Float64ArrayBase64Converter : JsonConverter<double[]>
{
    public override double[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        byte[] bytes = reader.GetBytesFromBase64();
        if (bytes.Length % sizeof(double) != 0)
            throw new JsonException($"{bytes.Length} bytes are not a whole number of float64 values");
        return MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    public override void Write(Utf8JsonWriter writer, double[] value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(MemoryMarshal.AsBytes(value.AsSpan()));
}
