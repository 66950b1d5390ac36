using GaussQuant.Distributed;

namespace GaussQuant.Training.Loop;

/// <summary>
/// Work that rank 0 alone does for the job (the run directory, checkpoints, the final model), inside a
/// <see cref="RankAgreement"/>: a failure there fails every rank at the same point (a <see cref="JobFailedException"/>
/// naming it) instead of leaving the others waiting in the next collective. In one process the work just runs.
/// </summary>
internal static class RootDecision
{
    /// <summary>
    /// Runs <paramref name="work"/> on rank 0, which keeps what it made (<c>Local</c>; null on the other ranks), and gives
    /// its number (non-negative, or null) to every rank.
    /// </summary>
    public static (T? Local, long? Shared) Share<T>(ICommunicator ranks, Func<(T Local, long? Shared)> work) where T : class
    {
        if (ranks.Size == 1)
            return work();
        var outcome = RankAgreement.Run<(T? Local, long? Shared)>(ranks, () => ranks.IsRoot ? work() : (null, null));
        var bytes = BitConverter.GetBytes(outcome.Shared ?? -1);
        ranks.Broadcast(bytes);
        long shared = BitConverter.ToInt64(bytes);
        return (outcome.Local, shared < 0 ? null : shared);
    }

    public static void Run(ICommunicator ranks, Action work) => RankAgreement.Run(ranks, () =>
    {
        if (ranks.IsRoot) work();
        return true;
    });
}
