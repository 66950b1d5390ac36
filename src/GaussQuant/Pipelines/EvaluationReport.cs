using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using GaussQuant.IO;
using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>
/// The result of <see cref="EvaluationPipeline"/>, written as JSON with snake_case keys (<c>gq eval -o REPORT.json</c>).
/// <see cref="Images"/> counts the images the metrics cover; unreadable inputs are in <see cref="Skipped"/> instead.
/// <see cref="Modes"/> is keyed <c>vq</c> / <c>mean</c>.
/// </summary>
public sealed record EvaluationReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        // Reasons and paths stay readable (no \u0027 for apostrophes); the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required int Images { get; init; }

    public required IReadOnlyList<SkippedInput> Skipped { get; init; }

    /// <summary>The folder or list the images came from.</summary>
    public required string Data { get; init; }

    public required string Config { get; init; }

    public required string Checkpoint { get; init; }

    /// <summary>Lower-case hex SHA-256 of the weights file.</summary>
    public required string CheckpointSha256 { get; init; }

    /// <summary>The number format the encoder and decoder computed in: <c>fp32</c> or <c>bf16</c>.</summary>
    public string? Precision { get; init; }

    /// <summary>S: the side of the square images the model saw.</summary>
    public required int ImageSize { get; init; }

    /// <summary>Values a token can take; null for a model without tokens (a continuous regularizer), as the next three.</summary>
    public required long? CodebookSize { get; init; }

    /// <summary>A Gaussian Quant model's trained K when <see cref="CodebookSize"/> was chosen at inference (<c>--codebook-size</c>); else null.</summary>
    public int? TrainedCodebookSize { get; init; }

    [JsonPropertyName("n_codebooks")]
    public required int? CodebookCount { get; init; }

    public required double? BitsPerToken { get; init; }

    public required double? BitsPerPixel { get; init; }

    /// <summary>The LPIPS backbone (<c>alexnet</c> / <c>vgg16</c>) when LPIPS was computed.</summary>
    public string? LpipsNetwork { get; init; }

    public required EvaluationTimings Timings { get; init; }

    public required IReadOnlyDictionary<string, EvaluationModeReport> Modes { get; init; }

    public required IReadOnlyList<NotComputedMetric> NotComputed { get; init; }

    /// <summary>Writes the report through a temporary file renamed into place.</summary>
    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToJson());

    /// <summary>The report as the UTF-8 JSON <see cref="Write"/> writes.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Reads a report's JSON; anything else is an <see cref="InvalidDataException"/> naming <paramref name="name"/>.</summary>
    public static EvaluationReport FromJson(byte[] json, string name)
    {
        try
        {
            return JsonSerializer.Deserialize<EvaluationReport>(json, JsonOptions)
                   ?? throw new InvalidDataException($"{name}: not an evaluation report: it holds null");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{name}: not an evaluation report: {error.Message}", error);
        }
    }
}
