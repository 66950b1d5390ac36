using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>
/// Per-layer-kind time and flops of one encoder pass and one decoder pass (means over the timed passes), the passes'
/// wall and process CPU times without hooks, and LibTorch's matrix-product rate in the network's number format measured in the same run.
/// </summary>
public sealed record ProfileBenchmarkResult(
    int Size,
    int BatchSize,
    int Threads,
    InferencePrecision Precision,
    IReadOnlyList<LayerProfile> Layers,
    double EncoderSeconds,
    double DecoderSeconds,
    double EncoderCpuSeconds,
    double DecoderCpuSeconds,
    GemmRate Gemm)
{
    public double FlopsOf(string part) => Layers.Where(layer => layer.Part == part).Sum(layer => layer.Flops);

    /// <summary>The network's flops over its unhooked pass time, as a share of the GEMM rate (both by wall clock).</summary>
    public double FractionOfGemm(string part) =>
        FlopsOf(part) / (part == ProfileBenchmark.EncoderPart ? EncoderSeconds : DecoderSeconds) / 1e9 / Gemm.WallGigaflops;

    /// <summary>The same by CPU time: what the work costs, whatever else the machine runs.</summary>
    public double CpuFractionOfGemm(string part) =>
        FlopsOf(part) / (part == ProfileBenchmark.EncoderPart ? EncoderCpuSeconds : DecoderCpuSeconds) / 1e9 / Gemm.CpuGigaflops;
}
