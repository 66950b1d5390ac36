using System.Globalization;
using System.Text.RegularExpressions;
using GaussQuant.Config;
using GaussQuant.Imaging;
using GaussQuant.Experiments;

namespace GaussQuant.Reports;

/// <summary>
/// Everything the training-run page shows (<c>gq report RUNDIR</c>), read from the run directory's files: the metric
/// history (<c>metrics.csv</c>), up to <see cref="MaximumSampleGrids"/> sample grids spread over the run (first and last
/// always), the resolved <c>config.yaml</c> with the codebook size and KL tolerance it sets, and the checkpoints present.
/// A missing part is noted in <see cref="Notes"/> rather than failing, since a run still going lacks some of them.
/// </summary>
public sealed partial record TrainingRunPage
{
    public const int MaximumSampleGrids = 6;

    /// <summary>Grids wider than this are shown scaled down (a 256-px model's grid is over 2,000 px wide).</summary>
    private const int MaximumGridWidth = 1200;

    /// <summary>The config shown at most (a resolved config is a few kilobytes; this bounds a stray huge file).</summary>
    private const int MaximumConfigCharacters = 200_000;

    public required string RunDirectory { get; init; }

    public TrainingMetricsHistory? Metrics { get; init; }

    public string? ConfigText { get; init; }

    /// <summary>K, from the config; null when the config is missing or unreadable.</summary>
    public int? CodebookSize { get; init; }

    /// <summary>The quantizer's KL tolerance in bits (the band log2 K ± tolerance the adaptive weights aim for).</summary>
    public double? KlTolerance { get; init; }

    public required IReadOnlyList<SampleGrid> SampleGrids { get; init; }

    /// <summary>How many sample grids the run wrote (the page shows <see cref="SampleGrids"/> of them).</summary>
    public required int SampleGridCount { get; init; }

    public required IReadOnlyList<CheckpointEntry> Checkpoints { get; init; }

    /// <summary>The size of <c>model.safetensors</c>, the final inference weights; null while the run has not finished.</summary>
    public long? FinalModelBytes { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public static TrainingRunPage Load(string runDirectory)
    {
        string root = Path.GetFullPath(runDirectory);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"{runDirectory}: no such run directory");
        string config = Path.Combine(root, "config.yaml"), metrics = Path.Combine(root, "metrics.csv");
        string checkpoints = Path.Combine(root, "checkpoints"), images = Path.Combine(root, "images");
        if (!File.Exists(config) && !File.Exists(metrics) && !Directory.Exists(checkpoints) && !Directory.Exists(images))
            throw new InvalidDataException(
                $"{runDirectory} is not a training run directory: it has none of config.yaml, metrics.csv, checkpoints/, images/ (gq train --out writes them)");
        var notes = new List<string>();

        var history = File.Exists(metrics) ? TrainingMetricsHistory.Read(metrics) : null;
        if (history is null)
            notes.Add("metrics.csv is missing: no curves to draw");
        else if (history.UnreadableRows > 0)
            notes.Add($"metrics.csv: {history.UnreadableRows} rows could not be read (cut short or malformed) and are left out");

        string? configText = null;
        int? codebookSize = null;
        double? tolerance = null;
        if (File.Exists(config))
        {
            configText = File.ReadAllText(config);
            if (configText.Length > MaximumConfigCharacters)
                configText = configText[..MaximumConfigCharacters] + "\n… (cut here; the file is longer)";
            try
            {
                // Only Gaussian Quant aims its KL at log2 K; the other kinds' runs have no band to draw.
                if (ExperimentLoader.Load(config).Model.Quantizer is Quantization.GaussianQuantizerOptions quantizer)
                    (codebookSize, tolerance) = (quantizer.CodebookSize, quantizer.Tolerance);
            }
            catch (Exception error) when (error is ConfigException or InvalidDataException or ArgumentException or IOException)
            {
                notes.Add($"config.yaml could not be read as a GaussQuant config ({error.Message}); the KL chart has no log2 K band");
            }
        }
        else
            notes.Add("config.yaml is missing");

        var grids = StepFiles(images, SampleGridName()).ToList();
        var shown = new List<SampleGrid>();
        foreach (var grid in Spread(grids, MaximumSampleGrids))
        {
            try
            {
                shown.Add(new SampleGrid(grid.Step, grid.Path, GridImage(grid.Path, grid.Step)));
            }
            catch (InvalidDataException error)
            {
                notes.Add($"{Path.GetFileName(grid.Path)} is not shown: {error.Message}");
            }
        }

        long? last = ReadLast(Path.Combine(checkpoints, "last"));
        var entries = StepFiles(checkpoints, WeightsName())
            .Select(file => new CheckpointEntry(file.Step, file.Path, new FileInfo(file.Path).Length,
                File.Exists(Path.Combine(checkpoints, $"state-{file.Step:D6}.bin")), file.Step == last))
            .ToList();
        string finalModel = Path.Combine(root, "model.safetensors");
        return new TrainingRunPage
        {
            RunDirectory = root,
            Metrics = history,
            ConfigText = configText,
            CodebookSize = codebookSize,
            KlTolerance = tolerance,
            SampleGrids = shown,
            SampleGridCount = grids.Count,
            Checkpoints = entries,
            FinalModelBytes = File.Exists(finalModel) ? new FileInfo(finalModel).Length : null,
            Notes = notes,
        };
    }

    /// <summary>At most <paramref name="count"/> items evenly spread over the list, the first and the last included.</summary>
    public static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> items, int count)
    {
        if (items.Count <= count)
            return items;
        return Enumerable.Range(0, count).Select(index => (int)Math.Round((double)index * (items.Count - 1) / (count - 1)))
            .Distinct().Select(index => items[index]).ToList();
    }

    private static IEnumerable<(long Step, string Path)> StepFiles(string folder, Regex name) => !Directory.Exists(folder) ? []
        : Directory.EnumerateFiles(folder)
            .Select(path => (Path: path, Match: name.Match(Path.GetFileName(path))))
            .Where(file => file.Match.Success)
            .Select(file => (long.Parse(file.Match.Groups[1].Value, CultureInfo.InvariantCulture), file.Path))
            .OrderBy(file => file.Item1);

    private static EmbeddedImage GridImage(string path, long step)
    {
        string alternative = $"Samples at step {step}: inputs (top row), VQ reconstructions (middle), posterior-mean reconstructions (bottom)";
        var image = ImageDecoder.Decode(path);
        return image.Width > MaximumGridWidth ? EmbeddedImage.Thumbnail(image, MaximumGridWidth, alternative) : EmbeddedImage.Of(image, alternative);
    }

    private static long? ReadLast(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : null;

    [GeneratedRegex(@"^step-(\d+)\.png$")]
    private static partial Regex SampleGridName();

    [GeneratedRegex(@"^step-(\d+)\.safetensors$")]
    private static partial Regex WeightsName();
}
