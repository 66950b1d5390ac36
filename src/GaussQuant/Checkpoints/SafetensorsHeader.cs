using System.Text;
using System.Text.Json;

namespace GaussQuant.Checkpoints;

/// <summary>
/// The JSON header of a <c>.safetensors</c> file, checked entry by entry: every problem is an
/// <see cref="InvalidDataException"/> that names the file, the entry and what is wrong with it, whatever the bytes.
/// </summary>
internal sealed class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SafetensorsHeader(List<Entry> entries, Dictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    public sealed record Entry(string Key, string DType, long[] Shape, long Begin, long End);

    public IReadOnlyList<Entry> Entries { get; }

    public Dictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Parse(byte[] bytes, string name)
    {
        string text;
        try { text = StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException error)
        {
            throw new InvalidDataException($"{name}: the .safetensors header is not valid UTF-8 (byte {error.Index})", error);
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{name}: the .safetensors header must be a JSON object, not {Describe(root)}");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new InvalidDataException($"{name}: the .safetensors header names '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, name);
                else entries.Add(ReadEntry(property.Name, property.Value, name));
            }
            return new SafetensorsHeader(entries, metadata);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{name}: the .safetensors header is not valid JSON ({error.Message})", error);
        }
        catch (InvalidOperationException error)
        {
            // Valid UTF-8 can still escape a lone surrogate ("\ud800"), which no .NET string decoding accepts.
            throw new InvalidDataException($"{name}: the .safetensors header holds a string that is not valid Unicode ({error.Message})", error);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{name}: '{MetadataKey}' must be an object of strings, not {Describe(value)}");
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException(
                    $"{name}: metadata value '{property.Name}' must be a string, not {Describe(property.Value)}");
            if (!metadata.TryAdd(property.Name, property.Value.GetString()!))
                throw new InvalidDataException($"{name}: metadata key '{property.Name}' appears twice");
        }
    }

    private static Entry ReadEntry(string key, JsonElement value, string name)
    {
        InvalidDataException Malformed(string problem) => new($"{name}: malformed header entry for tensor '{key}': {problem}");

        if (value.ValueKind != JsonValueKind.Object)
            throw Malformed($"expected an object, not {Describe(value)}");
        JsonElement Field(string field) =>
            value.TryGetProperty(field, out var element) ? element : throw Malformed($"'{field}' is missing");

        var dtype = Field("dtype");
        if (dtype.ValueKind != JsonValueKind.String)
            throw Malformed($"'dtype' must be a string, not {Describe(dtype)}");
        var shape = Integers(Field("shape"), "shape", Malformed);
        var offsets = Integers(Field("data_offsets"), "data_offsets", Malformed);
        if (offsets.Length != 2)
            throw Malformed($"'data_offsets' must be [begin, end], not {offsets.Length} numbers");
        if (shape.Any(side => side < 0))
            throw Malformed($"the shape [{string.Join(", ", shape)}] has a negative side");
        return new Entry(key, dtype.GetString()!, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement value, string field, Func<string, InvalidDataException> malformed)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw malformed($"'{field}' must be a list of integers, not {Describe(value)}");
        var numbers = new long[value.GetArrayLength()];
        int index = 0;
        foreach (var item in value.EnumerateArray())
            numbers[index++] = item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long number) ? number
                : throw malformed($"'{field}' must be a list of 64-bit integers, but holds {item.GetRawText()}");
        return numbers;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        _ => value.GetRawText(),
    };
}
