using System.CommandLine;
using static TorchSharp.torch;

namespace GaussQuant.Cli;

/// <summary>
/// <c>--threads N</c>, the same option on every model command: the CPU threads LibTorch computes with (and the
/// codebook search, which follows LibTorch's count). <see cref="ExitCodes.Run"/> applies it before the command
/// runs; without it gq uses every core the process may run on.
/// </summary>
internal sealed class ThreadsOption : Option<int?>
{
    public ThreadsOption() : base("--threads")
    {
        HelpName = "N";
        Description = $"CPU threads for the model (per rank under MPI). Default: every core this process may use ({Environment.ProcessorCount} here), " +
                      "shared out between the ranks on one machine.";
        Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--threads must be at least 1");
        });
    }

    /// <summary>
    /// The thread count the command line asks for: its --threads, else every core the process may use, divided between
    /// the ranks that share the machine (two ranks on two cores take one each instead of fighting over both).
    /// </summary>
    public static int Requested(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.OfType<ThreadsOption>().Select(parsed.GetValue).FirstOrDefault()
        ?? Math.Max(1, Environment.ProcessorCount / RankJob.LocalRanks);

    // LibTorch would use only the physical cores it detects; gq uses every core the process may run on unless told.
    public static void Apply(ParseResult parsed) => set_num_threads(Requested(parsed));
}
