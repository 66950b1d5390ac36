using GaussQuant.Distributed;
using GaussQuant.Experiments;

namespace GaussQuant.Training.Loop;

/// <summary>
/// One training job: which config (the model, loss, data and learning rate), which run directory, whether to resume,
/// on which ranks, and the <see cref="TrainingSettings"/>.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The resolved config; its <c>data.params.train.params.root</c> names the images.</summary>
    public required ExperimentConfig Config { get; init; }

    /// <summary>Run directory: config, checkpoints, metrics, TensorBoard events, sample grids, final model.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Continue from the run directory's last checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>Start a new run in a run directory that holds one, deleting that run's files first.</summary>
    public bool Overwrite { get; init; }

    /// <summary>How long, how often to log and checkpoint, the seed, the device, augmentation and the LPIPS weights.</summary>
    public TrainingSettings Settings { get; init; } = new();

    /// <summary>
    /// The ranks of a data-parallel job (see docs/distributed.md): each trains on its rows of every batch and rank 0
    /// alone writes the run directory. A single process by default.
    /// </summary>
    public ICommunicator Ranks { get; init; } = SingleProcess.Instance;
}
