using System.CommandLine;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq bench encode [--config C.yaml] [--batch B] [--images N] [--size S]</c>: images per second of the whole tokenize
/// path at random weights, with the time split and peak memory; ends with <c>images_per_s=</c>.
/// </summary>
internal static class BenchEncodeCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var workload = new PipelineBenchArguments(defaultBatch: 16, defaultImages: 64, verb: "tokenized");
        var command = new Command("encode", "Images per second of gq encode (decode, resize, encoder, search, write) at random weights.");
        workload.AddTo(command);
        model.AddTo(command, withCheckpoint: false);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var config = model.LoadConfig(parsed);
            var options = new EncodeBenchmarkOptions
            {
                BatchSize = parsed.GetValue(workload.Batch), Images = parsed.GetValue(workload.Images), Size = workload.SizeOf(parsed, config),
                Device = model.DeviceOf(parsed), Precision = workload.PrecisionOf(parsed),
            };
            var result = ProgressRendering.Run((progress, cancellation) => EncodeBenchmark.Run(config, options, progress, cancellation));
            Console.WriteLine(PipelineBenchArguments.Describe(config, result.Images, result.Size, result.BatchSize, result.Threads, options.Precision));
            Console.WriteLine($"seconds={result.TotalTime.TotalSeconds:F2} encoder_s={result.EncoderTime.TotalSeconds:F2} " +
                              $"search_s={result.SearchTime.TotalSeconds:F2} other_s={result.OtherTime.TotalSeconds:F2}");
            Console.WriteLine($"peak_working_set_mib={result.PeakWorkingSetBytes / (1024.0 * 1024):F0}");
            Console.WriteLine($"images_per_s={result.ImagesPerSecond:F2}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
