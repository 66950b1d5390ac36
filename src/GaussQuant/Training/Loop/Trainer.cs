using GaussQuant.Experiments;
using GaussQuant.Imaging;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// Trains a tokenizer as the authors do (GQ_SPEC §4): per batch, encoder → the quantizer's training pass (for Gaussian
/// Quant: sample, KL in bits with adaptive weights; for the others their straight-through latent and loss terms) →
/// decoder → L1/learned-log-variance (+ LPIPS) loss with the weighted regularization terms
/// and, once enabled, the PatchGAN terms; two Adam optimisers alternating by batch. Checkpoints are complete (weights,
/// both optimisers, λ, sampling generator, data position), so a resumed run continues exactly where the interrupted one
/// stood. When the configuration can never use the discriminator (zero weight or factor), every batch trains the
/// autoencoder instead of every other one (the reference would run a forward pass with no update on odd batches).
/// </summary>
public sealed class Trainer
{
    private readonly TrainingOptions options;

    public Trainer(TrainingOptions options)
    {
        this.options = options;
        var config = options.Config;
        if (config.Model.VisionFoundationModel is not null)
            throw new NotSupportedException(
                $"{config.Source}: training with a vision foundation model (use_vf: {config.Model.VisionFoundationModel}) is not supported; remove use_vf");
        if (config.Model.Loss is null)
            throw new ArgumentException($"{config.Source}: the config has no model.params.loss_config, so there is nothing to train with");
        if (config.Data?.TrainRoot is null)
            throw new ArgumentException($"{config.Source}: no training data: set data.params.train.params.root or pass --data");
        if (options.Resume && options.Overwrite)
            throw new ArgumentException("resuming a run and overwriting it exclude each other: pass --resume to continue it or --overwrite to start over");
        if (options.LogEverySteps < 1)
            throw new ArgumentException($"the logging period must be at least 1 step, got {options.LogEverySteps}");
    }

    /// <summary>Trains until <see cref="TrainingOptions.MaxSteps"/> (or the config's limit), or until cancelled (then a checkpoint is written).</summary>
    public TrainingResult Run(IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default)
    {
        using var setup = TrainingSetup.Create(options);
        using var log = new RunLog(setup);
        var trainStep = new TrainStep(setup);
        var state = setup.Start;
        long lastCheckpoint = setup.ResumeStep ?? -1;
        bool interrupted = false;
        progress?.Report(new TrainingStarted(state.Step, setup.MaxSteps, setup.Files.Count, setup.Model.parameters().Sum(p => p.numel()), setup.Run.Root));

        foreach (var batch in setup.Data.From(state.Epoch, state.BatchInEpoch))
        {
            if (state.Step >= setup.MaxSteps) break;
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }

            // Data: the batch, the files of it that could not be read, and the data position a checkpoint after it records.
            for (int i = 0; i < batch.Failures.Count; i++)
                progress?.Report(new TrainingImageSkipped(batch.Failures[i].Path, batch.Failures[i].Error!, state.SkippedImages + i + 1));
            state = state.After(batch, setup.Data.BatchesPerEpoch);
            if (batch.Images.Count == 0) continue;
            using var scope = NewDisposeScope();
            var images = ImageTensors.ToBatch(batch.Images, options.Device);

            // Forward/backward, reduce, step.
            var metrics = trainStep.Run(images, setup.PhaseFor(batch.Index, state.Step), state.Step, batch.Epoch);
            state = state with { Step = metrics.Step, Weights = setup.AdaptiveWeights };
            log.Trained(batch.Images.Count);

            // Log and checkpoint.
            if (IsDue(state.Step, options.LogEverySteps, setup.MaxSteps))
                Report(progress, log.Write(metrics, images));
            if (IsDue(state.Step, setup.SampleEvery, setup.MaxSteps))
                Report(progress, log.WriteSamples(images, state.Step));
            if (IsDue(state.Step, setup.CheckpointEvery, setup.MaxSteps))
            {
                Report(progress, TrainingCheckpoints.Save(setup, state));
                lastCheckpoint = state.Step;
            }
        }
        if (cancellation.IsCancellationRequested) interrupted = true;
        if (lastCheckpoint != state.Step)
            Report(progress, TrainingCheckpoints.Save(setup, state));
        TrainingCheckpoints.ExportInferenceWeights(setup, state.Step);
        return new TrainingResult(state.Step, interrupted, setup.Run.FinalModelPath, state.SkippedImages, setup.Run.Root);
    }

    // Not progress?.Report(Write(...)): without a listener that would skip the writing too.
    private static void Report(IProgress<TrainingEvent>? progress, TrainingEvent done) => progress?.Report(done);

    private static bool IsDue(long step, long period, long maxSteps) => step % period == 0 || step == maxSteps;
}
