using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>The settings of a training job that the config does not hold (or that override it); the defaults are gq's.</summary>
public sealed record TrainingSettings
{
    /// <summary>Stop when the global step reaches this (null: the config's max_steps, else its max_epochs).</summary>
    public long? MaxSteps { get; init; }

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

    /// <summary>The LPIPS heads; null: the backbone's file (a training checkpoint holds both).</summary>
    public string? PerceptualHeadWeights { get; init; }

    /// <summary>Image-decoding threads (null: the processor count).</summary>
    public int? DataWorkers { get; init; }
}
