using GaussQuant.Distributed;

namespace GaussQuant.Training.Loop;

/// <summary>
/// What the ranks agree on before every step, in one small all-reduce: how many images each read (which gives the
/// global batch and this rank's rows of it), how many files were unreadable, and whether any rank was asked to stop
/// (so that all stop after the same step instead of one leaving the others waiting in a collective).
/// </summary>
/// <param name="Batch">This rank's rows of the global batch; null when some rank has no image (every rank then skips the step).</param>
internal sealed record StepAgreement(GlobalBatch? Batch, int Unreadable, bool Stop)
{
    public static StepAgreement Reach(ICommunicator ranks, int images, int unreadable, bool stop)
    {
        if (ranks.Size == 1)
            return new StepAgreement(images > 0 ? GlobalBatch.Whole(images) : null, unreadable, stop);
        int size = ranks.Size;
        // Slots per rank (images, unreadable, stop), filled by their rank only: the sum gathers them everywhere.
        var slots = new long[3 * size];
        (slots[3 * ranks.Rank], slots[3 * ranks.Rank + 1], slots[3 * ranks.Rank + 2]) = (images, unreadable, stop ? 1 : 0);
        ranks.AllReduceSum(slots);
        var counts = Enumerable.Range(0, size).Select(rank => (int)slots[3 * rank]).ToArray();
        int before = counts.Take(ranks.Rank).Sum();
        var batch = counts.Min() > 0 ? new GlobalBatch(ranks, counts.Sum(), new ShardRange(before, images)) : null;
        return new StepAgreement(batch,
            (int)Enumerable.Range(0, size).Sum(rank => slots[3 * rank + 1]),
            Enumerable.Range(0, size).Any(rank => slots[3 * rank + 2] != 0));
    }
}
