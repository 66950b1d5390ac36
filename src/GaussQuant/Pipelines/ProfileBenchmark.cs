using System.Diagnostics;
using GaussQuant.Experiments;
using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// Where the network's time goes (<c>gq bench profile</c>): the model a config describes, at random weights (speed does
/// not depend on them), runs its encoder on random images and its decoder on the latents that makes, first without
/// hooks (the pass times), then with every module timed (<see cref="LayerTimer"/>), after an untimed warm-up pass that
/// lets LibTorch pick and cache its kernels. The fp32 (or bf16) GEMM rate is the yardstick: one GEMM pass follows
/// each encoder and decoder pass, and each side's best pass is compared, so a quiet or a busy spell of a shared
/// machine falls on both sides of the ratio alike.
/// </summary>
public static class ProfileBenchmark
{
    public const string EncoderPart = "encoder";
    public const string DecoderPart = "decoder";

    public static ProfileBenchmarkResult Run(ExperimentConfig config, ProfileBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize <= 0 || options.Size <= 0 || options.Passes <= 0)
            throw new ArgumentException(
                $"batch size ({options.BatchSize}), image size ({options.Size}) and passes ({options.Passes}) must be positive");
        using var model = ModelFactory.Create(config.Model, options.Device);
        model.eval();
        model.UsePrecision(options.Precision);
        using var noGrad = no_grad();
        using var images = rand(options.BatchSize, 3, options.Size, options.Size, device: model.Device) * 2 - 1;
        using var latent = model.EncodeContinuous(images).Mean;

        model.EncodeMoments(images).Dispose();
        model.Decode(latent).Dispose();
        var encoder = new BestPass();
        var decoder = new BestPass();
        var gemm = GemmRate.MeasureAlternating(get_num_threads(), options.Passes, () =>
        {
            encoder.Time(() => model.EncodeMoments(images));
            decoder.Time(() => model.Decode(latent));
        }, NetworkPrecision.ScalarTypeOf(options.Precision));
        var layers = new List<LayerProfile>();
        layers.AddRange(Profile(EncoderPart, model.Encoder, () => model.EncodeMoments(images), options.Passes));
        layers.AddRange(Profile(DecoderPart, model.Decoder, () => model.Decode(latent), options.Passes));
        return new ProfileBenchmarkResult(options.Size, options.BatchSize, get_num_threads(), options.Precision, layers,
            encoder.Wall, decoder.Wall, encoder.Cpu, decoder.Cpu, gemm);
    }

    /// <summary>
    /// The fastest of a network's passes, by wall and by process CPU time. On a machine shared with other work the wall
    /// time swings with the load; the CPU time (at one thread, where no thread spins waiting for another) measures the
    /// work itself, so ratios between formats or layouts stay comparable.
    /// </summary>
    private sealed class BestPass
    {
        public double Wall { get; private set; } = double.MaxValue;

        public double Cpu { get; private set; } = double.MaxValue;

        public void Time(Func<Tensor> pass)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            pass().Dispose();
            Wall = Math.Min(Wall, watch.Elapsed.TotalSeconds);
            Cpu = Math.Min(Cpu, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
        }
    }

    private static IEnumerable<LayerProfile> Profile(string part, nn.Module network, Func<Tensor> pass, int passes)
    {
        using var timer = new LayerTimer(part, network);
        for (int index = 0; index < passes; index++) pass().Dispose();
        return timer.Profiles
            .Select(layer => layer with
            {
                Calls = layer.Calls / passes, Seconds = layer.Seconds / passes, CpuSeconds = layer.CpuSeconds / passes, Flops = layer.Flops / passes,
            })
            .OrderByDescending(layer => layer.Seconds)
            .ToList();
    }
}
