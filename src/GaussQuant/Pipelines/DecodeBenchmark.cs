using System.Diagnostics;
using GaussQuant.Experiments;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// End-to-end speed of <c>gq decode</c> with the decoder a config describes, at random weights and random tokens (speed
/// depends on neither): a tokens file is written to a temporary folder and decoded to PNGs through
/// <see cref="DetokenizePipeline"/>, after an untimed warm-up batch. Only the decoder is built, as <c>gq decode</c> does.
/// </summary>
public static class DecodeBenchmark
{
    public static DecodeBenchmarkResult Run(ExperimentConfig config, DecodeBenchmarkOptions options, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var model = options.CreateModel(config, ModelParts.Decoder);
        var format = model.Quantizer.RequireTokens();
        int factor = model.DownsamplingFactor;
        if (options.Size % factor != 0)
            throw new ArgumentException($"the image size {options.Size} is not a multiple of the model's downsampling factor {factor}");
        using var scratch = new ScratchFolder("gq-bench-decode");
        string folder = scratch.Path;
        DetokenizeResult Decode(int count, IProgress<PipelineProgress>? report)
        {
            string tokens = Path.Combine(folder, $"tokens{count}.npy");
            if (!File.Exists(tokens))
                WriteRandomTokens(tokens, count, format.PerPosition, options.Size / factor, format.CodebookSize);
            return DetokenizePipeline.Run(model, new DetokenizeOptions
            {
                TokensPath = tokens,
                OutputFolder = Path.Combine(folder, "images"),
                BatchSize = options.BatchSize,
                Overwrite = true, // the warm-up's images in the benchmark's own folder
            }, report, cancellation);
        }

        Decode(Math.Min(options.BatchSize, options.Images), null);
        var timed = Decode(options.Images, progress);
        return new DecodeBenchmarkResult(options.Images, options.Size, options.BatchSize, get_num_threads(), timed.TotalTime,
            Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>Uniform tokens [count, perPosition, side, side] in [0, codebookSize), the same every run.</summary>
    private static void WriteRandomTokens(string path, int count, int perPosition, int side, long codebookSize)
    {
        var random = new Random(0);
        var values = new long[(long)count * perPosition * side * side];
        for (long i = 0; i < values.LongLength; i++) values[i] = random.NextInt64(codebookSize);
        NpyFile.Write<long>(path, values, count, perPosition, side, side);
    }
}
