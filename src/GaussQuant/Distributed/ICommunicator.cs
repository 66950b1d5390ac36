namespace GaussQuant.Distributed;

/// <summary>
/// The ranks of one job and the collectives gq needs from them. Every rank must call every collective, in the same
/// order and with the same lengths; a rank that cannot (it failed) must still reach the next
/// <see cref="RankAgreement.Check"/>, which turns one rank's failure into the same exception on every rank instead of a
/// hang. <see cref="SingleProcess"/> is the job of one; <see cref="MpiCommunicator"/> runs over MPI.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 ≤ Rank &lt; Size.</summary>
    int Rank { get; }

    /// <summary>The number of ranks in the job.</summary>
    int Size { get; }

    /// <summary>Rank 0: the one that prints, writes the job's outputs and assembles what the others computed.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <inheritdoc cref="AllReduceSum(Span{float})"/>
    void AllReduceSum(Span<double> values);

    /// <inheritdoc cref="AllReduceSum(Span{float})"/>
    void AllReduceSum(Span<long> values);

    /// <summary>Overwrites <paramref name="values"/> on every rank with the root's (same length everywhere).</summary>
    void Broadcast(Span<byte> values, int root = 0);

    /// <summary>
    /// The bytes of every rank, in rank order, on <paramref name="root"/>; null on the other ranks. Lengths may differ
    /// between ranks.
    /// </summary>
    byte[][]? Gather(byte[] values, int root = 0);

    /// <summary>Ends every process of the job at once with <paramref name="exitCode"/> (the last resort: no cleanup runs).</summary>
    void Abort(int exitCode);
}
