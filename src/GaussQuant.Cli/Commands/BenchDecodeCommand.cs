using System.CommandLine;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq bench decode [--config C.yaml] [--batch B] [--images N] [--size S]</c>: images per second of the whole decode
/// path (random tokens → PNG files) at random weights, and peak memory; ends with <c>images_per_s=</c>.
/// </summary>
internal static class BenchDecodeCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var workload = new PipelineBenchArguments(defaultBatch: 4, defaultImages: 16, verb: "decoded");
        var command = new Command("decode", "Images per second of gq decode (tokens, dequantize, decoder, PNG, write) at random weights.");
        workload.AddTo(command);
        model.AddTo(command, withCheckpoint: false);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var config = model.LoadConfig(parsed);
            var options = new DecodeBenchmarkOptions
            {
                BatchSize = parsed.GetValue(workload.Batch), Images = parsed.GetValue(workload.Images), Size = workload.SizeOf(parsed, config),
                Device = model.DeviceOf(parsed), Precision = workload.PrecisionOf(parsed),
            };
            var result = ProgressRendering.Run((progress, cancellation) => DecodeBenchmark.Run(config, options, progress, cancellation));
            Console.WriteLine(PipelineBenchArguments.Describe(config, result.Images, result.Size, result.BatchSize, result.Threads, options.Precision));
            Console.WriteLine($"seconds={result.TotalTime.TotalSeconds:F2}");
            Console.WriteLine($"peak_working_set_mib={result.PeakWorkingSetBytes / (1024.0 * 1024):F0}");
            Console.WriteLine($"images_per_s={result.ImagesPerSecond:F2}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
