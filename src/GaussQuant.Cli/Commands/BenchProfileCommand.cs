using System.CommandLine;
using GaussQuant.Models;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq bench profile [--config C.yaml] [--batch B] [--size S] [--passes P] [--precision P]</c>: the encoder's and
/// decoder's time and flops by layer kind at random weights, next to LibTorch's GEMM rate measured in the same run.
/// </summary>
internal static class BenchProfileCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var batch = new Option<int>("--batch") { Description = "Images per pass.", DefaultValueFactory = _ => 1 };
        var size = new Option<int?>("--size") { HelpName = "S", Description = "Image side. Default: the config's resolution." };
        var passes = new Option<int>("--passes") { Description = "Timed passes of each network (after a warm-up pass).", DefaultValueFactory = _ => 2 };
        var precision = new PrecisionOption();
        var command = new Command("profile", "Encoder and decoder time and GFLOP/s by layer kind at random weights, against the GEMM rate.")
        {
            batch, size, passes, precision,
        };
        model.AddTo(command, withCheckpoint: false);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var config = model.LoadConfig(parsed);
            var options = new ProfileBenchmarkOptions
            {
                BatchSize = parsed.GetValue(batch), Size = parsed.GetValue(size) ?? config.Model.Encoder.NominalImageSize, Passes = parsed.GetValue(passes),
                Precision = parsed.GetValue(precision).Resolve(), Device = model.DeviceOf(parsed),
            };
            var result = ProfileBenchmark.Run(config, options);
            Console.WriteLine($"config={config.Source} size={result.Size} batch={result.BatchSize} threads={result.Threads} " +
                              $"precision={result.Precision.Name()} gemm_gflops={result.Gemm.WallGigaflops:F1} gemm_cpu_gflops={result.Gemm.CpuGigaflops:F1}");
            foreach (string part in new[] { ProfileBenchmark.EncoderPart, ProfileBenchmark.DecoderPart })
                Render(result, part);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Render(ProfileBenchmarkResult result, string part)
    {
        var layers = result.Layers.Where(layer => layer.Part == part).ToList();
        double hooked = layers.Sum(layer => layer.Seconds);
        bool encoder = part == ProfileBenchmark.EncoderPart;
        double unhooked = encoder ? result.EncoderSeconds : result.DecoderSeconds;
        double cpu = encoder ? result.EncoderCpuSeconds : result.DecoderCpuSeconds;
        Console.WriteLine();
        Console.WriteLine($"{part}: {unhooked:F3} s per pass (best), cpu {cpu:F3} s ({hooked:F3} s with hooks, mean), {result.FlopsOf(part) / 1e9:F1} GFLOP, " +
                          $"{result.FlopsOf(part) / unhooked / 1e9:F1} GFLOP/s = {result.FractionOfGemm(part):F2} of the GEMM rate, " +
                          $"by CPU time {result.FlopsOf(part) / cpu / 1e9:F1} GFLOP/s = {result.CpuFractionOfGemm(part):F2} of it");
        double hookedCpu = layers.Sum(layer => layer.CpuSeconds);
        Console.WriteLine($"| {part} layer kind | calls | ms | cpu ms | cpu share | GFLOP | GFLOP/cpu-s | of GEMM |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var layer in layers.OrderByDescending(layer => layer.CpuSeconds))
        {
            string rate = layer.Flops > 0 ? $"{layer.GigaflopsPerCpuSecond:F1} | {layer.GigaflopsPerCpuSecond / result.Gemm.CpuGigaflops:F2}" : "– | –";
            Console.WriteLine($"| {layer.Kind} | {layer.Calls} | {layer.Seconds * 1000:F1} | {layer.CpuSeconds * 1000:F1} | " +
                              $"{layer.CpuSeconds / hookedCpu:P1} | {layer.Flops / 1e9:F1} | {rate} |");
        }
    }
}
