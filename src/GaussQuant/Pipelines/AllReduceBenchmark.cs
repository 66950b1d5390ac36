using System.Diagnostics;
using GaussQuant.Distributed;

namespace GaussQuant.Pipelines;

/// <summary>
/// Times an in-place all-reduce sum of a float32 buffer across the job's ranks (<c>gq bench allreduce</c>), the
/// collective data-parallel training runs on its gradients, and checks every sum: each rank contributes rank + 1 in
/// every element, so each element must come back as N(N + 1)/2 (exact in float32 for any job size gq can run).
/// The ranks meet at a barrier before each timed call, so a call's time is the collective's, not a late rank's.
/// </summary>
public static class AllReduceBenchmark
{
    /// <param name="floats">Elements of the buffer (4 bytes each).</param>
    /// <param name="repetitions">Timed calls, after one untimed warm-up.</param>
    public static AllReduceBenchmarkResult Run(ICommunicator communicator, int floats, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentOutOfRangeException.ThrowIfLessThan(floats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var buffer = new float[floats];
        float expected = communicator.Size * (communicator.Size + 1) / 2f;
        var seconds = new List<double>(repetitions);
        for (int call = 0; call <= repetitions; call++)
        {
            Array.Fill(buffer, communicator.Rank + 1f);
            communicator.Barrier();
            var watch = Stopwatch.StartNew();
            communicator.AllReduceSum(buffer);
            if (call > 0)
                seconds.Add(watch.Elapsed.TotalSeconds);
            int wrong = Array.FindIndex(buffer, value => value != expected);
            if (wrong >= 0)
                throw new InvalidOperationException($"the all-reduce gave {buffer[wrong]} at element {wrong} on rank {communicator.Rank}, not {expected}");
        }
        seconds.Sort();
        return new AllReduceBenchmarkResult(communicator.Size, floats * 4L, seconds[0], seconds[seconds.Count / 2], seconds[^1]);
    }
}
