using System.CommandLine;
using GaussQuant.Cli;
using GaussQuant.Cli.Commands;
using GaussQuant.Distributed;
using GaussQuant.IO;

HugePageMalloc.RestartWithTunableIfUseful();

try
{
    ResourceLimits.Current = ResourceLimits.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"gq: {error.Message}");
    return ExitCodes.Usage;
}

ICommunicator communicator;
try
{
    communicator = RankJob.Start();
}
catch (Exception error) when (error is NotSupportedException or DllNotFoundException)
{
    Console.Error.WriteLine($"gq: {error.Message}");
    return ExitCodes.Failure;
}
using var job = communicator;

var root = new RootCommand("gq: the Gaussian Quant image tokenizer (train, tokenize, detokenize, evaluate).");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(CodebookCommand.Create());
root.Subcommands.Add(RankJob.SharesWork(EncodeCommand.Create(communicator)));
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(ReconstructCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(RankJob.SharesWork(TrainCommand.Create(communicator)));
root.Subcommands.Add(BenchCommand.Create(communicator));
root.Subcommands.Add(RankJob.SharesWork(EvalCommand.Create(communicator)));
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
return RankJob.Finish(ExitCodes.Run(root, args));
