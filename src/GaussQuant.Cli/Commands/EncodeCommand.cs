using System.CommandLine;
using GaussQuant.Distributed;
using GaussQuant.Models;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq encode [--config C.yaml --ckpt M] INPUT... -o TOKENS.npy</c>: images to int64 tokens plus a manifest.</summary>
internal static class EncodeCommand
{
    /// <param name="communicator">The job's ranks, which split the inputs (a job of one without a launcher).</param>
    public static Command Create(ICommunicator communicator)
    {
        var model = new ModelArguments();
        var images = new ImageArguments();
        var outputs = new OutputArguments();
        var output = new Option<string>("--output", "-o") { Description = "Tokens file (.npy); its manifest is written beside it (.json).", Required = true };
        var shard = new ShardOption("the tokens and manifest of block i of the inputs");
        var command = new Command("encode", "Tokenize images: int64 [N, n_codebooks, h, w] .npy plus a .json manifest.") { output, shard };
        command.Options.Add(new PrecisionOption());
        command.Options.Add(new CodebookSizeOption());
        model.AddTo(command);
        images.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            using var loaded = model.Load(parsed, ModelParts.Encoder);
            var options = new TokenizeOptions { Images = images.Options(parsed), OutputPath = parsed.GetValue(output)!, Overwrite = outputs.OverwriteOf(parsed),
                Shard = ShardOption.Of(parsed, shard), Communicator = communicator };
            var result = ProgressRendering.Run((progress, cancellation) => TokenizePipeline.Run(loaded, options, progress, cancellation));
            var manifest = result.Manifest;
            ImageArguments.ReportSkipped(manifest.Skipped);
            Console.WriteLine($"wrote {result.TokensPath}: int64 [{manifest.Inputs.Count}, {string.Join(", ", manifest.LatentShape)}] " +
                              $"({manifest.Inputs.Count} images, {manifest.Skipped.Count} skipped) and {result.ManifestPath}");
            Console.WriteLine($"time {result.TotalTime.TotalSeconds:F1} s: encoder {result.EncoderTime.TotalSeconds:F1} s, search {result.SearchTime.TotalSeconds:F1} s");
            return ExitCodes.Success;
        }));
        return command;
    }
}
