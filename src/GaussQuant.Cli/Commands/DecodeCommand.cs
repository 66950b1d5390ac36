using System.CommandLine;
using GaussQuant.Models;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq decode [--config C.yaml --ckpt M] TOKENS.npy -o OUTDIR [--batch B]</c>: tokens back to PNG images.</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var outputs = new OutputArguments();
        var tokens = new Argument<string>("TOKENS") { Description = "int64 tokens [N, n_codebooks, h, w] (.npy), with its manifest beside it if there is one." };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the PNG images (created when missing).", Required = true };
        var batch = new BatchOption();
        var command = new Command("decode", "Decode tokens to PNG images (names from the manifest, else 000000.png, …).") { tokens, output, batch };
        command.Options.Add(new PrecisionOption());
        command.Options.Add(new CodebookSizeOption());
        model.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            using var loaded = model.Load(parsed, ModelParts.Decoder);
            var options = new DetokenizeOptions
            {
                TokensPath = parsed.GetValue(tokens)!, OutputFolder = parsed.GetValue(output)!, BatchSize = parsed.GetValue(batch),
                Overwrite = outputs.OverwriteOf(parsed),
            };
            var result = ProgressRendering.Run((progress, cancellation) => DetokenizePipeline.Run(loaded.Model, options, progress, cancellation));
            if (result.ManifestPath is null)
                Console.Error.WriteLine(
                    $"gq: warning: no manifest ({Tokens.TokenManifest.PathBeside(options.TokensPath)}): nothing ties these tokens to this model; " +
                    $"their values are in its codebook's range, so they were decoded as tokens [{string.Join(", ", result.TokenShape)}] to " +
                    $"{result.ImageSize[1]}x{result.ImageSize[0]} images, which are right only if this model made them");
            Console.WriteLine($"wrote {result.Images.Count} images to {result.OutputFolder} in {result.TotalTime.TotalSeconds:F1} s");
            return ExitCodes.Success;
        }));
        return command;
    }
}
