using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using GaussQuant.Distributed;
using GaussQuant.Evaluation;
using GaussQuant.IO;
using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>
/// The partial statistics of an evaluation over part of the images (<c>gq eval --shard i/N</c>, or one MPI rank's
/// share): per mode the metric moments, feature moments and token histograms (<see cref="ModeStatistics"/>), the
/// originals' feature moments, the images evaluated and skipped, and the report's fields that do not depend on the
/// images (<see cref="Header"/>). <see cref="Combine"/> turns the parts of a job into its report; one process's
/// report is made the same way from its one part, so split and whole runs share every line that computes a metric.
/// </summary>
public sealed record EvaluationShard
{
    public const string ShardKind = "gq-evaluation-shard";
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new Float64ArrayBase64Converter() },
    };

    public string Kind { get; init; } = ShardKind;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The shard's place in its job; null for an MPI rank's share (ranks are ordered by rank).</summary>
    public ShardExtent? Shard { get; init; }

    /// <summary>The report's fields that every part shares; its image counts, modes and timings are the part's own or empty.</summary>
    public required EvaluationReport Header { get; init; }

    public required int Evaluated { get; init; }

    public required IReadOnlyList<SkippedInput> Skipped { get; init; }

    /// <summary>The originals' Inception feature moments, when rFID is computed.</summary>
    public FeatureMoments? Originals { get; init; }

    /// <summary>Keyed <c>vq</c> / <c>mean</c>, as the report's modes.</summary>
    public required IReadOnlyDictionary<string, ModeStatistics> Modes { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Writes the shard through a temporary file renamed into place.</summary>
    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToJson());

    /// <summary>Reads a shard; anything but one is an <see cref="InvalidDataException"/> naming <paramref name="name"/>.</summary>
    public static EvaluationShard FromJson(byte[] json, string name)
    {
        EvaluationShard? shard;
        try
        {
            shard = JsonSerializer.Deserialize<EvaluationShard>(json, JsonOptions);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{name}: not an evaluation shard (from gq eval --shard): {error.Message}", error);
        }
        if (shard is null || shard.Kind != ShardKind)
            throw new InvalidDataException($"{name}: not an evaluation shard (from gq eval --shard): its kind is '{shard?.Kind}'");
        if (shard.Version != CurrentVersion)
            throw new InvalidDataException($"{name}: evaluation shard version {shard.Version} is not supported (this program reads {CurrentVersion})");
        return shard;
    }

    /// <summary>The report of the parts together, in order (shard or rank order, which is the images' order).</summary>
    /// <exception cref="InvalidDataException">no part evaluated an image, or the parts measured different metrics.</exception>
    public static EvaluationReport Combine(IReadOnlyList<EvaluationShard> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var header = parts[0].Header;
        int evaluated = parts.Sum(part => part.Evaluated);
        var skipped = parts.SelectMany(part => part.Skipped).ToList();
        if (evaluated == 0)
            throw new InvalidDataException($"none of the {skipped.Count} images in {header.Data} could be read, e.g. {skipped[0].Reason}");
        var originals = parts.Select(part => part.Originals).Aggregate(ModeStatistics.MergeFeatures);
        var modes = parts[0].Modes.Keys.ToDictionary(mode => mode, mode => parts.Select(part => ModeOf(part, mode)).Aggregate((a, b) => a.Merge(b)));
        var notComputed = header.NotComputed.ToList();
        if (originals is not null && evaluated < 2)
            notComputed.Add(new("rfid", $"rFID needs the features of at least 2 images; {evaluated} was evaluated"));
        var fid = new Stopwatch();
        var reports = modes.ToDictionary(mode => mode.Key, mode => mode.Value.Report(originals, fid));
        return header with { Images = evaluated, Skipped = skipped, Modes = reports, NotComputed = notComputed, Timings = Timings(parts, fid, evaluated) };
    }

    private static ModeStatistics ModeOf(EvaluationShard part, string mode) => part.Modes.TryGetValue(mode, out var statistics)
        ? statistics
        : throw new InvalidDataException($"one part of the evaluation measured the {mode} reconstruction and another did not");

    /// <summary>Stage times summed over the parts (work done), the total the longest part's (they run side by side), FID's merge time added.</summary>
    private static EvaluationTimings Timings(IReadOnlyList<EvaluationShard> parts, Stopwatch fid, int images)
    {
        var all = parts.Select(part => part.Header.Timings).ToList();
        double total = all.Max(timings => timings.TotalSeconds) + fid.Elapsed.TotalSeconds;
        return new EvaluationTimings(total, all.Sum(timings => timings.NetworkLoadingSeconds), all.Sum(timings => timings.ImageWaitSeconds),
            all.Sum(timings => timings.EncodeSeconds), all.Sum(timings => timings.DecodeSeconds), all.Sum(timings => timings.PixelMetricsSeconds),
            all.Sum(timings => timings.LpipsSeconds), all.Sum(timings => timings.FidSeconds) + fid.Elapsed.TotalSeconds,
            all.Sum(timings => timings.SaveSeconds), total > 0 ? images / total : 0);
    }
}
