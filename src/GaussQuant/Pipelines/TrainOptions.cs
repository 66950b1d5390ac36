using GaussQuant.Distributed;
using GaussQuant.Training.Loop;

namespace GaussQuant.Pipelines;

/// <summary>What <see cref="TrainPipeline"/> trains: a config (or the run directory's own when resuming) and how to run it.</summary>
public sealed record TrainOptions
{
    /// <summary>The config in the authors' YAML format; null when resuming: the run directory's <c>config.yaml</c>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Training images (a folder or a .txt list), replacing the config's <c>data.params.train.params.root</c>.</summary>
    public string? DataPath { get; init; }

    /// <summary>
    /// DINOv2 weights for VF alignment (<c>--vf-weights</c>), replacing the config's
    /// <c>model.params.foundation_model_weights</c>, so the run's config.yaml keeps them for a resume.
    /// </summary>
    public string? VisionFoundationWeights { get; init; }

    /// <summary>Config overrides <c>key.path=value</c>, applied in order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The run directory; null: <c>runs/&lt;config name&gt;</c> (a resume must name it).</summary>
    public string? RunDirectory { get; init; }

    public bool Resume { get; init; }

    public bool Overwrite { get; init; }

    public TrainingSettings Settings { get; init; } = new();

    /// <summary>The job's ranks: under mpirun/srun each trains on its rows of every batch (docs/distributed.md).</summary>
    public ICommunicator Communicator { get; init; } = SingleProcess.Instance;
}
