using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>The workload of <see cref="ProfileBenchmark"/>.</summary>
public sealed record ProfileBenchmarkOptions
{
    /// <summary>Images per pass.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Side of the square images.</summary>
    public int Size { get; init; } = 256;

    /// <summary>Timed passes of each network (after one untimed warm-up pass); the profile is their mean.</summary>
    public int Passes { get; init; } = 2;

    public InferencePrecision Precision { get; init; } = InferencePrecision.Fp32;

    public Device? Device { get; init; }
}
