using System.CommandLine;

namespace GaussQuant.Cli;

/// <summary>The option every command that writes shares: <c>--overwrite</c>, without which an existing output is refused.</summary>
internal sealed class OutputArguments
{
    public Option<bool> Overwrite { get; } = new("--overwrite")
    {
        Description = "Replace outputs that exist already (without it, an existing output is an error and nothing is written).",
    };

    public void AddTo(Command command) => command.Options.Add(Overwrite);

    public bool OverwriteOf(ParseResult parsed) => parsed.GetValue(Overwrite);
}
