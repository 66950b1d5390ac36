using GaussQuant.Distributed;

namespace GaussQuant.Tests.Distributed;

/// <summary>
/// A job of <c>size</c> ranks inside one test process, one thread per rank, for the reductions' maths without MPI: every
/// collective meets at a barrier, and sums add the ranks' values in rank order (as any fixed order, the result is the
/// same on every rank).
/// </summary>
internal sealed class ThreadRanks
{
    private readonly Barrier barrier;
    private readonly double[]?[] slots;

    private ThreadRanks(int size)
    {
        barrier = new Barrier(size);
        slots = new double[size][];
    }

    /// <summary>Runs <paramref name="rank"/> on every rank of a new job at once and returns what each returned, by rank.</summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> rank)
    {
        var job = new ThreadRanks(size);
        var results = new T[size];
        var threads = Enumerable.Range(0, size).Select(index => new Thread(() => results[index] = rank(new Member(job, index, size)))).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        return results;
    }

    private void Sum(int rank, Span<double> values)
    {
        slots[rank] = values.ToArray();
        barrier.SignalAndWait();
        values.Clear();
        foreach (var contribution in slots)
            for (int i = 0; i < values.Length; i++)
                values[i] += contribution![i];
        barrier.SignalAndWait();
    }

    private sealed class Member(ThreadRanks job, int rank, int size) : ICommunicator
    {
        public int Rank => rank;

        public int Size => size;

        public void Barrier() => job.barrier.SignalAndWait();

        public void AllReduceSum(Span<double> values) => job.Sum(rank, values);

        public void AllReduceSum(Span<float> values)
        {
            var wide = values.ToArray().Select(value => (double)value).ToArray();
            job.Sum(rank, wide);
            for (int i = 0; i < values.Length; i++) values[i] = (float)wide[i];
        }

        public void AllReduceSum(Span<long> values)
        {
            var wide = values.ToArray().Select(value => (double)value).ToArray();
            job.Sum(rank, wide);
            for (int i = 0; i < values.Length; i++) values[i] = (long)wide[i];
        }

        public void Broadcast(Span<byte> values, int root = 0) => throw new NotSupportedException();

        public byte[][]? Gather(byte[] values, int root = 0) => throw new NotSupportedException();

        public void Abort(int exitCode) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
