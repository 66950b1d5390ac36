namespace GaussQuant.Pipelines;

/// <summary>The workload of <see cref="DecodeBenchmark"/>: random tokens of <see cref="NetworkBenchmarkOptions.Size"/>² images.</summary>
public sealed record DecodeBenchmarkOptions : PipelineBenchmarkOptions
{
    // The decoder holds about twice the encoder's activations per image, so the default batch is a quarter of encode's.
    public DecodeBenchmarkOptions() => BatchSize = 4;
}
