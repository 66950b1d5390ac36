using System.Runtime.ExceptionServices;
using GaussQuant.Distributed;

namespace GaussQuant.Training.Loop;

/// <summary>
/// Work that rank 0 alone does for the job (the run directory, checkpoints, the final model), followed by a status
/// agreement: a failure there fails every rank at the same point instead of leaving the others in a collective. Rank 0
/// rethrows its own exception (so the command's exit code and message stay those of one process); the others throw
/// <see cref="JobFailedException"/> naming it. In one process the work just runs.
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
        var outcome = Agreed(ranks, work);
        var bytes = BitConverter.GetBytes(outcome?.Shared ?? -1);
        ranks.Broadcast(bytes);
        long shared = BitConverter.ToInt64(bytes);
        return (outcome?.Local, shared < 0 ? null : shared);
    }

    public static void Run(ICommunicator ranks, Action work) => Agreed(ranks, () =>
    {
        work();
        return true;
    });

    /// <returns>What <paramref name="work"/> returned on rank 0; null on the others.</returns>
    private static TResult? Agreed<TResult>(ICommunicator ranks, Func<TResult> work) where TResult : struct
    {
        if (ranks.Size == 1)
            return work();
        if (!ranks.IsRoot)
        {
            RankAgreement.Check(ranks);
            return null;
        }
        try
        {
            var result = work();
            RankAgreement.Check(ranks);
            return result;
        }
        catch (Exception failure) when (failure is not JobFailedException)
        {
            try
            {
                RankAgreement.Agree(ranks, 1, failure.Message);
            }
            catch (JobFailedException)
            {
            }
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }
}
