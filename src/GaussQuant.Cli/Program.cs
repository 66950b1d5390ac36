using System.CommandLine;
using GaussQuant.Cli;
using GaussQuant.Cli.Commands;

var root = new RootCommand("gq: the Gaussian Quant image tokenizer (train, tokenize, detokenize, evaluate).");
root.Subcommands.Add(CodebookCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
return ExitCodes.Run(root, args);
