using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>What the benchmarks that run the model on synthetic 256²-style inputs share.</summary>
public abstract record NetworkBenchmarkOptions
{
    /// <summary>Images per model call.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Side of the square images the model sees.</summary>
    public int Size { get; init; } = 256;

    public InferencePrecision Precision { get; init; } = InferencePrecision.Fp32;

    public Device? Device { get; init; }
}
