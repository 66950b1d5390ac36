namespace GaussQuant.Distributed;

/// <summary>
/// One or more ranks of the job failed; every rank throws it from the same <see cref="RankAgreement"/>, so all stop
/// together and none waits in a collective. After it no rank may call another collective.
/// </summary>
public sealed class JobFailedException(string message, IReadOnlyList<int> failedRanks, int exitCode) : Exception(message)
{
    /// <summary>The ranks that reported a failure, ascending.</summary>
    public IReadOnlyList<int> FailedRanks { get; } = failedRanks;

    /// <summary>The exit code of the lowest failed rank (what the job as a whole exits with).</summary>
    public int ExitCode { get; } = exitCode;
}
