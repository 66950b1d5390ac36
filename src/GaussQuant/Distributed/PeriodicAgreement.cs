namespace GaussQuant.Distributed;

/// <summary>
/// Status agreements at fixed points of the ranks' work, so that when one rank fails the others stop within
/// <see cref="Interval"/> items instead of finishing their whole blocks first. The points must be the same number on
/// every rank although blocks differ in length: each rank agrees after every <see cref="Interval"/> items of its own
/// block, and <see cref="Finish"/> makes up the agreements a shorter block did not reach, up to the count of the
/// longest block.
/// </summary>
public sealed class PeriodicAgreement
{
    /// <summary>
    /// Items between two agreements: about half a minute of one core's work at 256², a second at 64², against an
    /// all-reduce of one number per rank (well under a millisecond on a quiet machine).
    /// </summary>
    public const int DefaultInterval = 64;

    private readonly ICommunicator communicator;
    private readonly int total;
    private int done;

    /// <param name="longestBlock">The most items any rank's block holds (the same number on every rank).</param>
    public PeriodicAgreement(ICommunicator communicator, int longestBlock, int interval = DefaultInterval)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        this.communicator = communicator;
        Interval = interval;
        total = communicator.Size == 1 ? 0 : longestBlock / interval;
    }

    public int Interval { get; }

    /// <summary>Called as the rank's work advances; agrees at every multiple of <see cref="Interval"/> passed.</summary>
    /// <exception cref="JobFailedException">another rank failed.</exception>
    public void Reached(int itemsDone)
    {
        while (done < total && itemsDone >= (done + 1) * Interval)
            Agree();
    }

    /// <summary>The rank's block is done: the agreements it did not reach, so every rank has made the same number.</summary>
    public void Finish()
    {
        while (done < total)
            Agree();
    }

    private void Agree()
    {
        done++;
        RankAgreement.Check(communicator);
    }
}
