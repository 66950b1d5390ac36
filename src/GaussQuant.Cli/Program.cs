using System.CommandLine;
using GaussQuant.Cli;
using GaussQuant.Cli.Commands;
using GaussQuant.IO;

try
{
    ResourceLimits.Current = ResourceLimits.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"gq: {error.Message}");
    return ExitCodes.Usage;
}

var root = new RootCommand("gq: the Gaussian Quant image tokenizer (train, tokenize, detokenize, evaluate).");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(CodebookCommand.Create());
root.Subcommands.Add(EncodeCommand.Create());
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(ReconstructCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
return ExitCodes.Run(root, args);
