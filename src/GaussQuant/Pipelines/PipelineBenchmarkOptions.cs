using GaussQuant.Experiments;
using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>What the end-to-end benchmarks (<see cref="EncodeBenchmark"/>, <see cref="DecodeBenchmark"/>) share: images through a real pipeline.</summary>
public abstract record PipelineBenchmarkOptions : NetworkBenchmarkOptions
{
    /// <summary>Images through the pipeline in the timed run.</summary>
    public int Images { get; init; } = 16;

    /// <summary>
    /// Checks the workload and builds the config's model at random weights (speed does not depend on them) with the
    /// <paramref name="parts"/> the pipeline runs, in eval mode and the precision asked.
    /// </summary>
    internal Autoencoder CreateModel(ExperimentConfig config, ModelParts parts)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Images <= 0 || BatchSize <= 0 || Size <= 0)
            throw new ArgumentException($"images ({Images}), batch size ({BatchSize}) and image size ({Size}) must be positive");
        var model = ModelFactory.Create(config.Model, Device, parts: parts);
        model.eval();
        model.UsePrecision(Precision);
        return model;
    }
}
