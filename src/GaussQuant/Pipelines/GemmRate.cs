using System.Diagnostics;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// LibTorch's matrix product rate on 2048 × 2048 operands of one type, best of several passes after a warm-up, with
/// the given thread count: the yardstick the benchmarks hold the search and the networks to. Measured by wall clock and
/// by the process's CPU time (on a shared machine the wall clock swings with other work; at one thread the CPU time does
/// not).
/// </summary>
public sealed record GemmRate(double WallGigaflops, double CpuGigaflops)
{
    private const int Side = 2048;

    public static GemmRate Measure(int threads, ScalarType type = ScalarType.Float32) => MeasureAlternating(threads, 3, () => { }, type);

    /// <summary>
    /// Runs <paramref name="measured"/> (the benchmark's own timed pass) before each GEMM pass, so that the two
    /// rates come from the same moments of a shared machine and their ratio is not skewed by a quiet spell only one
    /// of them saw.
    /// </summary>
    public static GemmRate MeasureAlternating(int threads, int repetitions, Action measured, ScalarType type = ScalarType.Float32)
    {
        int previousThreads = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var a = randn(Side, Side, dtype: type);
            using var b = randn(Side, Side, dtype: type);
            using (a.matmul(b)) { }
            double bestWall = double.MaxValue, bestCpu = double.MaxValue;
            for (int repetition = 0; repetition < repetitions; repetition++)
            {
                measured();
                var cpu = Environment.CpuUsage.TotalTime;
                var watch = Stopwatch.StartNew();
                using (a.matmul(b)) { }
                bestWall = Math.Min(bestWall, watch.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
            }
            double flops = 2.0 * Side * Side * Side;
            return new GemmRate(flops / bestWall / 1e9, flops / bestCpu / 1e9);
        }
        finally { set_num_threads(previousThreads); }
    }
}
