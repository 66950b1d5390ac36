using GaussQuant.Config;
using GaussQuant.Distributed;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Training.Loop;

/// <summary>How to run one training job; the model, loss, data and learning rate come from <see cref="Config"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>The resolved config; its <c>data.params.train.params.root</c> names the images.</summary>
    public required ExperimentConfig Config { get; init; }

    /// <summary>Run directory: config, checkpoints, metrics, TensorBoard events, sample grids, final model.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Stop when the global step reaches this (null: the config's max_steps, else its max_epochs).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Continue from the run directory's last checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>Start a new run in a run directory that holds one, deleting that run's files first.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Seed of the data order, the weight initialisation and the posterior samples (the reference seeds 23).</summary>
    public int Seed { get; init; } = 23;

    public Device Device { get; init; } = CPU;

    /// <summary>Full checkpoint period in steps (null: the config's every_n_train_steps, else 500).</summary>
    public long? CheckpointEverySteps { get; init; }

    /// <summary>Progress, CSV and TensorBoard period in steps.</summary>
    public long LogEverySteps { get; init; } = 10;

    /// <summary>Sample-grid period in steps (null: the config's image-logger frequency, else 500).</summary>
    public long? SampleEverySteps { get; init; }

    /// <summary>Augmentation: resize the shorter side, then a random square crop instead of the centre crop.</summary>
    public bool RandomCrop { get; init; }

    /// <summary>Augmentation: mirror half of the images left to right.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>
    /// LPIPS weights for a perceptual loss: the torchvision VGG16 file (or a training checkpoint holding
    /// <c>loss.perceptual_loss.*</c>) and the LPIPS v0.1 linear heads (may be the same checkpoint).
    /// </summary>
    public string? PerceptualBackboneWeights { get; init; }

    public string? PerceptualHeadWeights { get; init; }

    /// <summary>
    /// The ranks of a data-parallel job (see docs/distributed.md): each trains on its rows of every batch and rank 0
    /// alone writes the run directory. A single process by default.
    /// </summary>
    public ICommunicator Ranks { get; init; } = SingleProcess.Instance;

    /// <summary>Image-decoding threads (null: the processor count).</summary>
    public int? DataWorkers { get; init; }
}
