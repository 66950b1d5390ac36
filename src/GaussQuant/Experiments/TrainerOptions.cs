namespace GaussQuant.Experiments;

/// <summary>Training schedule from the <c>lightning</c> section: how long to train, when to save and when to log images.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the data (<c>trainer.max_epochs</c>); null when not limited.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>Optimisation steps (<c>trainer.max_steps</c>); null when not limited.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Full checkpoints (weights and optimizer state) every this many steps (<c>modelcheckpoint.params.every_n_train_steps</c>).</summary>
    public long? CheckpointEverySteps { get; init; }

    /// <summary>Extra weights-only snapshots every this many steps (<c>callbacks.metrics_over_trainsteps_checkpoint</c>).</summary>
    public long? WeightsEverySteps { get; init; }

    /// <summary>Image grids every this many steps (<c>callbacks.image_logger.params.batch_frequency</c>); null when image logging is off.</summary>
    public long? ImageLogEverySteps { get; init; }

    /// <summary>Images per grid (<c>max_images</c>).</summary>
    public int ImagesPerLog { get; init; } = 8;

    /// <summary>Also log at steps 1, 2, 4, … up to the period (<c>increase_log_steps</c>).</summary>
    public bool ImageLogAtPowersOfTwo { get; init; } = true;

    /// <summary>Also log before the first step (<c>log_first_step</c>).</summary>
    public bool ImageLogAtFirstStep { get; init; }
}
