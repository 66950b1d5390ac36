using System.CommandLine;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq merge SHARD... -o OUT</c>: joins the shards of <c>encode --shard</c> or <c>eval --shard</c> into what one run writes.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards")
        {
            Description = "Every shard of one job: tokens files (.npy, manifests beside them) or evaluation shards (.json).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "The tokens file (.npy) or the evaluation report (.json) to write.", Required = true };
        var outputs = new OutputArguments();
        var command = new Command("merge", "Join the shards of 'encode --shard' or 'eval --shard' into the files one run over all inputs writes.") { shards, output };
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var options = new MergeOptions { Shards = parsed.GetValue(shards)!, OutputPath = parsed.GetValue(output)!, Overwrite = outputs.OverwriteOf(parsed) };
            var result = ProgressRendering.Run((_, cancellation) => MergePipeline.Run(options, cancellation));
            Console.WriteLine($"merged {result.Shards} shards ({result.Images} images, {result.Skipped} skipped) into {result.OutputPath}" +
                              (result.ManifestPath is null ? "" : $" and {result.ManifestPath}"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
