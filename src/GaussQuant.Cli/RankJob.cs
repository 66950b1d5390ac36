using System.CommandLine;
using GaussQuant.Distributed;

namespace GaussQuant.Cli;

/// <summary>
/// gq as one rank of a job (started by <c>mpirun</c>/<c>srun</c>, see <see cref="JobLaunch"/>), or as a job of one.
/// Rank 0 prints; the other ranks are silent, and their failures reach rank 0 through the job's agreements
/// (<see cref="RankAgreement"/>), which name the rank and cause. Commands that split their work between ranks say so
/// with <see cref="SharesWork"/>; every other command runs on rank 0 while the others wait for its outcome. Every
/// rank ends with one last agreement, so a rank that fails anywhere (before, inside or after a pipeline) stops the
/// whole job with a non-zero exit instead of leaving the others waiting in a collective.
/// </summary>
internal static class RankJob
{
    private static readonly HashSet<Command> Sharing = [];
    private static string? localFailure;
    private static bool failureAgreed;

    public static ICommunicator Communicator { get; private set; } = SingleProcess.Instance;

    /// <summary>How many ranks of the job share this machine (hydra says; 1 elsewhere), for the default --threads.</summary>
    public static int LocalRanks { get; private set; } = 1;

    /// <summary>Joins the job the launcher started, if any; on ranks other than 0 the consoles go silent.</summary>
    public static ICommunicator Start()
    {
        var launch = JobLaunch.Detect();
        Communicator = launch.Open();
        LocalRanks = launch.IsDistributed && int.TryParse(Environment.GetEnvironmentVariable("MPI_LOCALNRANKS"), out int local) && local > 0 ? local : 1;
        if (!Communicator.IsRoot)
        {
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
        }
        return Communicator;
    }

    /// <summary>Marks a command whose pipeline splits the work between the ranks (every rank runs it).</summary>
    public static Command SharesWork(Command command)
    {
        Sharing.Add(command);
        return command;
    }

    /// <summary>Whether this rank runs <paramref name="command"/>: every rank runs a sharing command, rank 0 all others.</summary>
    public static bool Runs(Command command) => Communicator.IsRoot || Sharing.Contains(command);

    /// <summary>Remembers what this rank printed as its failure, for the last agreement.</summary>
    public static void Failed(string message) => localFailure = message;

    /// <summary>A pipeline's agreement has already stopped every rank; no further collective may run.</summary>
    public static void FailureAgreedOn() => failureAgreed = true;

    /// <summary>The last agreement: every rank's exit code, with rank 0 naming the ranks that failed (once each cause).</summary>
    public static int Finish(int exitCode)
    {
        if (Communicator.Size == 1 || failureAgreed)
            return exitCode;
        try
        {
            RankAgreement.Agree(Communicator, exitCode == 0 ? null : new JobRankFailure(localFailure ?? $"exit code {exitCode}"));
            return exitCode;
        }
        catch (JobFailedException failure)
        {
            foreach (var (rank, cause) in failure.Causes.Where(cause => cause.Key != Communicator.Rank && cause.Value != localFailure))
                Console.Error.WriteLine($"gq: rank {rank} of {Communicator.Size} failed: {cause}");
            return exitCode != 0 ? exitCode : ExitCodes.Failure;
        }
    }

    private sealed class JobRankFailure(string message) : Exception(message);
}
