namespace GaussQuant.Pipelines;

/// <summary>The workload of <see cref="ProfileBenchmark"/>: one batch of <see cref="NetworkBenchmarkOptions.BatchSize"/> random images.</summary>
public sealed record ProfileBenchmarkOptions : NetworkBenchmarkOptions
{
    /// <summary>Timed passes of each network (after one untimed warm-up pass); the profile is their mean.</summary>
    public int Passes { get; init; } = 2;
}
