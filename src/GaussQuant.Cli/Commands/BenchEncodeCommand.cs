using System.CommandLine;
using GaussQuant.Config;
using GaussQuant.Models;
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
        var batch = new Option<int>("--batch") { Description = "Images per model call.", DefaultValueFactory = _ => 16 };
        var images = new Option<int>("--images") { Description = "Images tokenized in the timed run.", DefaultValueFactory = _ => 64 };
        var size = new Option<int?>("--size") { HelpName = "S", Description = "Image side the model sees. Default: the config's resolution." };
        var precision = new PrecisionOption();
        var command = new Command("encode", "Images per second of gq encode (decode, resize, encoder, search, write) at random weights.")
        {
            batch, images, size, precision,
        };
        model.AddTo(command, withCheckpoint: false);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var config = model.LoadConfig(parsed);
            var options = new EncodeBenchmarkOptions
            {
                BatchSize = parsed.GetValue(batch), Images = parsed.GetValue(images), Size = parsed.GetValue(size) ?? config.Model.Encoder.NominalImageSize, Device = model.DeviceOf(parsed),
                Precision = parsed.GetValue(precision).Resolve(),
            };
            var result = ProgressRendering.Run((progress, cancellation) => EncodeBenchmark.Run(config, options, progress, cancellation));
            Console.WriteLine($"config={config.Source} images={result.Images} size={result.Size} batch={result.BatchSize} threads={result.Threads} " +
                              $"precision={options.Precision.Name()}");
            Console.WriteLine($"seconds={result.TotalTime.TotalSeconds:F2} encoder_s={result.EncoderTime.TotalSeconds:F2} " +
                              $"search_s={result.SearchTime.TotalSeconds:F2} other_s={result.OtherTime.TotalSeconds:F2}");
            Console.WriteLine($"peak_working_set_mib={result.PeakWorkingSetBytes / (1024.0 * 1024):F0}");
            Console.WriteLine($"images_per_s={result.ImagesPerSecond:F2}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
