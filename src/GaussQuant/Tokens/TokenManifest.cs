using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GaussQuant.Distributed;
using GaussQuant.Imaging;
using GaussQuant.IO;

namespace GaussQuant.Tokens;

/// <summary>
/// What a tokens file (<c>TOKENS.npy</c>, int64 <c>[N, n_codebooks, h, w]</c>) holds, written beside it as
/// <c>TOKENS.json</c> (snake_case keys). Row i of the tokens belongs to <see cref="Inputs"/>[i]; inputs that could
/// not be read (with <c>--skip-bad</c>) are listed in <see cref="Skipped"/> instead and have no row.
/// </summary>
public sealed record TokenManifest
{
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        WriteIndented = true,
    };

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The image files whose tokens the file holds, in row order, as they were named to the encoder.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The model configuration (YAML) used.</summary>
    public required string Config { get; init; }

    /// <summary>The weights used (.ckpt or .safetensors).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>SHA-256 of the weights file, lower-case hex; null when not computed.</summary>
    public string? CheckpointSha256 { get; init; }

    /// <summary>
    /// The number format the encoder computed in (<c>fp32</c> or <c>bf16</c>); absent in manifests written before it
    /// was recorded, which were all fp32. bf16 tokens differ from fp32 ones at a few positions and decode as well.
    /// </summary>
    public string? Precision { get; init; }

    /// <summary>The Gaussian Quant codebook the tokens index; null for the other kinds (see <see cref="Quantizer"/>).</summary>
    public ManifestCodebook? Codebook { get; init; }

    /// <summary>The quantizer that made the tokens; null in manifests written before it was recorded (Gaussian Quant, see <see cref="Codebook"/>).</summary>
    public ManifestQuantizer? Quantizer { get; init; }

    /// <summary>
    /// The Gaussian Quant model's trained K when the tokens index a codebook of another size chosen at inference
    /// (<c>--codebook-size</c>; <see cref="Codebook"/> holds the size used); absent when the trained codebook was used.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TrainedCodebookSize { get; init; }

    [JsonPropertyName("n_codebooks")]
    public required int CodebookCount { get; init; }

    /// <summary>The shape of one image's tokens: <c>[n_codebooks, h, w]</c>.</summary>
    public required IReadOnlyList<int> LatentShape { get; init; }

    public required ResizeMode Preprocessing { get; init; }

    /// <summary>The resize target S; null when the images were used as they were.</summary>
    public required int? Resize { get; init; }

    /// <summary>The size of the images the model saw: <c>[height, width]</c>.</summary>
    public required IReadOnlyList<int> ImageSize { get; init; }

    public IReadOnlyList<SkippedInput> Skipped { get; init; } = [];

    /// <summary>
    /// SHA-256 of the tokens file this manifest was committed with, lower-case hex, so a reader can tell a mixed pair
    /// (the tokens of one run beside the manifest of another) from a real one; null in manifests written before it.
    /// </summary>
    [JsonPropertyName("tokens_sha256")]
    public string? TokensSha256 { get; init; }

    /// <summary>Which part of a job a shard's manifest covers; absent (null) for a whole run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ShardExtent? Shard { get; init; }

    /// <summary>Where the manifest of a tokens file lives: beside it, with the extension .json.</summary>
    public static string PathBeside(string tokensPath) => Path.ChangeExtension(tokensPath, ".json");

    /// <summary>Lower-case hex SHA-256 of a file (for <see cref="CheckpointSha256"/>).</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Checks the manifest, then writes it through a temporary file renamed into place.</summary>
    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToJson(path));

    /// <summary>The checked manifest as the UTF-8 JSON written to <paramref name="path"/>.</summary>
    internal byte[] ToJson(string path)
    {
        Validate(path);
        return JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);
    }

    /// <summary>
    /// Fails when the manifest records the hash of another tokens file than <paramref name="tokensPath"/>: the two were
    /// not committed together (another run replaced one of them, or a crash fell between their two renames).
    /// </summary>
    public void RequireBelongsTo(string tokensPath, string manifestPath)
    {
        if (TokensSha256 is not null && TokensSha256 != Sha256Of(tokensPath))
            throw new InvalidDataException(
                $"{manifestPath} was written with another tokens file than {tokensPath} (tokens_sha256 differs): the pair is mixed, " +
                "e.g. by another run writing the same output or a crash while committing; encode the images again");
    }

    /// <summary>Reads and checks a manifest; any problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static TokenManifest Read(string path) => FromJson(File.ReadAllBytes(path), path);

    /// <summary>Reads and checks a manifest's JSON; <paramref name="name"/> names its source in the messages.</summary>
    internal static TokenManifest FromJson(byte[] json, string name)
    {
        TokenManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<TokenManifest>(json, JsonOptions);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{name}: not a valid tokens manifest: {error.Message}", error);
        }
        if (manifest is null)
            throw new InvalidDataException($"{name}: not a valid tokens manifest: the file holds null");
        manifest.Validate(name);
        return manifest;
    }

    private static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    private void Validate(string name)
    {
        var problems = new List<string>();
        if (Version != CurrentVersion)
            problems.Add($"version {Version} is not supported (this program reads version {CurrentVersion})");
        if (Inputs.Any(string.IsNullOrWhiteSpace))
            problems.Add("inputs holds an empty file name");
        if (string.IsNullOrWhiteSpace(Config))
            problems.Add("config is empty");
        if (string.IsNullOrWhiteSpace(Checkpoint))
            problems.Add("checkpoint is empty");
        if (CheckpointSha256 is not null && !IsSha256(CheckpointSha256))
            problems.Add($"checkpoint_sha256 '{CheckpointSha256}' is not 64 lower-case hex digits");
        if (TokensSha256 is not null && !IsSha256(TokensSha256))
            problems.Add($"tokens_sha256 '{TokensSha256}' is not 64 lower-case hex digits");
        if (Codebook is null && Quantizer is null)
            problems.Add("neither codebook nor quantizer says what the tokens index");
        if (Codebook is { } codebook && (codebook.Dim <= 0 || codebook.Size <= 0))
            problems.Add($"codebook dim {codebook.Dim} and size {codebook.Size} must be positive");
        if (Codebook is { } withBeta && !double.IsFinite(withBeta.Beta))
            problems.Add($"codebook beta {withBeta.Beta} is not a finite number");
        if (TrainedCodebookSize is < 2)
            problems.Add($"trained_codebook_size {TrainedCodebookSize} must be at least 2");
        if (Quantizer is { } quantizer && (string.IsNullOrWhiteSpace(quantizer.Kind) || quantizer.Parameters is null))
            problems.Add("quantizer needs a kind and parameters");
        if (CodebookCount <= 0)
            problems.Add($"n_codebooks {CodebookCount} must be positive");
        if (LatentShape.Count != 3 || LatentShape.Any(side => side <= 0))
            problems.Add($"latent_shape [{string.Join(", ", LatentShape)}] must be three positive numbers [n_codebooks, h, w]");
        else if (LatentShape[0] != CodebookCount)
            problems.Add($"latent_shape starts with {LatentShape[0]}, but n_codebooks is {CodebookCount}");
        if ((Preprocessing == ResizeMode.None) != (Resize is null))
            problems.Add($"preprocessing {JsonSerializer.Serialize(Preprocessing, JsonOptions)} does not fit resize {Resize?.ToString() ?? "null"}");
        if (Resize is <= 0)
            problems.Add($"resize {Resize} must be positive");
        if (ImageSize.Count != 2 || ImageSize.Any(side => side <= 0))
            problems.Add($"image_size [{string.Join(", ", ImageSize)}] must be two positive numbers [height, width]");
        if (Skipped.Any(skipped => string.IsNullOrWhiteSpace(skipped.File) || string.IsNullOrWhiteSpace(skipped.Reason)))
            problems.Add("skipped holds an entry without a file or a reason");
        if (Shard is { } shard && !(shard.Index >= 0 && shard.Index < shard.Count && shard.Start >= 0 && shard.Start <= shard.End
                                    && shard.End <= shard.Total && shard.End - shard.Start == Inputs.Count + Skipped.Count))
            problems.Add($"shard {shard.Index}/{shard.Count} with inputs {shard.Start}..{shard.End} of {shard.Total} does not fit its " +
                         $"{Inputs.Count} inputs and {Skipped.Count} skipped");
        if (problems.Count > 0)
            throw new InvalidDataException($"{name}: invalid tokens manifest: {string.Join("; ", problems)}");
    }
}
