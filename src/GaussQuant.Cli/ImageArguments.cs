using System.CommandLine;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli;

/// <summary>The image inputs of <c>gq encode</c> and <c>gq reconstruct</c>: <c>INPUT... [--size S | --no-resize] [--batch B] [--skip-bad]</c>.</summary>
internal sealed class ImageArguments(bool inputsOptional = false)
{
    public Argument<string[]> Inputs { get; } = new("INPUT")
    {
        Description = "Image files (.png .jpg .jpeg .webp .bmp), folders (searched recursively) or .txt lists of images.",
        Arity = inputsOptional ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
    };

    public Option<int?> Size { get; } = new("--size")
    {
        Description = "Resize the shorter side to S and center-crop S×S (the authors' eval transform). Default: the config's resolution.",
    };

    public Option<bool> NoResize { get; } = new("--no-resize")
    {
        Description = "Use the images as they are (sides must be multiples of the model's downsampling factor).",
    };

    public BatchOption Batch { get; } = new();

    public Option<bool> SkipBad { get; } = new("--skip-bad")
    {
        Description = "Leave unreadable images out (and list them) instead of failing on the first one.",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Inputs);
        command.Options.Add(Size);
        command.Options.Add(NoResize);
        command.Options.Add(Batch);
        command.Options.Add(SkipBad);
    }

    public ImageInputOptions Options(ParseResult parsed) => new()
    {
        Inputs = parsed.GetValue(Inputs)!,
        Size = parsed.GetValue(Size),
        NoResize = parsed.GetValue(NoResize),
        BatchSize = parsed.GetValue(Batch),
        SkipBad = parsed.GetValue(SkipBad),
    };

    /// <summary>Names each skipped input on stderr.</summary>
    public static void ReportSkipped(IReadOnlyList<Tokens.SkippedInput> skipped)
    {
        foreach (var input in skipped)
            Console.Error.WriteLine($"gq: skipped {input.File}: {input.Reason}");
    }
}
