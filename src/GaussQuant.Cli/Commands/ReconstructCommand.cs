using System.CommandLine;
using GaussQuant.Models;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq reconstruct [--config C.yaml --ckpt M] INPUT... -o OUTDIR [--mode vq|mean|sample]</c>: images through the model.</summary>
internal static class ReconstructCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var images = new ImageArguments();
        var outputs = new OutputArguments();
        var output = new Option<string>("--output", "-o") { Description = "Folder for the PNG images (created when missing).", Required = true };
        var mode = new Option<string>("--mode")
        {
            Description = "vq: decode the tokens' latent (= encode + decode); mean: the posterior mean; sample: mean + σ·ε.",
            DefaultValueFactory = _ => "vq",
        };
        mode.AcceptOnlyFromAmong("vq", "mean", "sample");
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the noise in sample mode (default: a fresh draw)." };
        var command = new Command("reconstruct", "Encode and decode images, writing PNGs named after the inputs.") { output, mode, seed };
        command.Options.Add(new PrecisionOption());
        command.Options.Add(new CodebookSizeOption());
        model.AddTo(command);
        images.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            using var loaded = model.Load(parsed);
            var options = new ReconstructOptions
            {
                Images = images.Options(parsed),
                OutputFolder = parsed.GetValue(output)!,
                Mode = Enum.Parse<ReconstructionMode>(parsed.GetValue(mode)!, ignoreCase: true),
                Seed = parsed.GetValue(seed),
                Overwrite = outputs.OverwriteOf(parsed),
            };
            var result = ProgressRendering.Run((progress, cancellation) => ReconstructPipeline.Run(loaded.Model, options, progress, cancellation));
            ImageArguments.ReportSkipped(result.Skipped);
            Console.WriteLine($"wrote {result.Images.Count} images to {result.OutputFolder} ({result.Skipped.Count} skipped) " +
                              $"in {result.TotalTime.TotalSeconds:F1} s");
            return ExitCodes.Success;
        }));
        return command;
    }
}
