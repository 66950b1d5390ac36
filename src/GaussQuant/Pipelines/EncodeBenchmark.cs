using System.Diagnostics;
using GaussQuant.Config;
using GaussQuant.Imaging;
using GaussQuant.Models;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>
/// End-to-end speed of <c>gq encode</c> with the model a config describes, at random weights (speed does not depend
/// on them) and with the encoder alone, as <c>gq encode</c> loads it: a few synthetic 4:3 PNGs are written to a temporary folder and tokenized over and over through
/// <see cref="TokenizePipeline"/> (decode, resize and crop, encoder, codebook search, token file), after an untimed
/// warm-up batch.
/// </summary>
public static class EncodeBenchmark
{
    private const int DistinctImages = 8;

    public static EncodeBenchmarkResult Run(ExperimentConfig config, EncodeBenchmarkOptions options, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var model = options.CreateModel(config, ModelParts.Encoder);
        var source = new ModelSource(config.Source, "random weights", null);
        using var scratch = new ScratchFolder("gq-bench-encode");
        string folder = scratch.Path;
        var pictures = Enumerable.Range(0, DistinctImages).Select(index => WritePicture(folder, index, options.Size)).ToList();
        TokenizeResult Tokenize(int count, IProgress<PipelineProgress>? report) => TokenizePipeline.Run(model, source, new TokenizeOptions
        {
            Images = new ImageInputOptions
            {
                Inputs = Enumerable.Range(0, count).Select(index => pictures[index % pictures.Count]).ToList(),
                Size = options.Size,
                BatchSize = options.BatchSize,
            },
            OutputPath = Path.Combine(folder, "tokens.npy"),
            Overwrite = true, // the warm-up's tokens in the benchmark's own folder
        }, report, cancellation);

        Tokenize(Math.Min(options.BatchSize, options.Images), null);
        var timed = Tokenize(options.Images, progress);
        return new EncodeBenchmarkResult(options.Images, options.Size, options.BatchSize, get_num_threads(), timed.TotalTime,
            timed.EncoderTime, timed.SearchTime, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>A smooth colour field with noise on top (so PNG decoding does real work), 4:3, the shorter side <paramref name="size"/>.</summary>
    private static string WritePicture(string folder, int index, int size)
    {
        int width = size * 4 / 3, height = size;
        var random = new Random(index);
        var pixels = new byte[3 * width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int channel = 0; channel < 3; channel++)
                {
                    double wave = Math.Sin((x * (channel + 1) + y * (index + 1)) * 0.02 + channel);
                    pixels[3 * (y * width + x) + channel] = (byte)Math.Clamp(128 + 90 * wave + random.Next(-20, 21), 0, 255);
                }
        string path = Path.Combine(folder, $"picture{index}.png");
        ImageEncoder.WritePng(path, new RgbImage(width, height, pixels));
        return path;
    }
}
