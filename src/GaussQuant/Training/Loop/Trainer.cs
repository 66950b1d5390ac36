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
        if (config.Model.Loss is null)
            throw new ArgumentException($"{config.Source}: the config has no model.params.loss_config, so there is nothing to train with");
        RequireFoundationWeights(config);
        if (config.Data?.TrainRoot is null)
            throw new ArgumentException($"{config.Source}: no training data: set data.params.train.params.root or pass --data");
        if (options.Resume && options.Overwrite)
            throw new ArgumentException("resuming a run and overwriting it exclude each other: pass --resume to continue it or --overwrite to start over");
        if (options.Settings.LogEverySteps < 1)
            throw new ArgumentException($"the logging period must be at least 1 step, got {options.Settings.LogEverySteps}");
    }

    /// <summary>Trains until <see cref="TrainingSettings.MaxSteps"/> (or the config's limit), or until cancelled (then a checkpoint is written).</summary>
    /// <param name="progress">
    /// What the run does; in a data-parallel job only rank 0 reports (every rank reports the unreadable files it skipped).
    /// </param>
    public TrainingResult Run(IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default)
    {
        var ranks = options.Ranks;
        using var setup = TrainingSetup.Create(options);
        using var log = ranks.IsRoot ? new RunLog(setup) : null;
        var trainStep = new TrainStep(setup);
        var state = setup.Start;
        long lastCheckpoint = setup.ResumeStep ?? -1;
        bool interrupted = false;
        var reports = ranks.IsRoot ? progress : null;
        reports?.Report(new TrainingStarted(state.Step, setup.MaxSteps, setup.Files.Count, setup.Model.parameters().Sum(p => p.numel()), setup.Run.Root));

        foreach (var batch in setup.Data.From(state.Epoch, state.BatchInEpoch))
        {
            if (state.Step >= setup.MaxSteps) break;

            // Data: this rank's rows of the batch, the files of it that could not be read, the ranks' agreement on the
            // global batch (and on stopping), and the data position a checkpoint after this batch records.
            var agreed = StepAgreement.Reach(ranks, batch.Images.Count, batch.Failures.Count, cancellation.IsCancellationRequested);
            if (agreed.Stop) { interrupted = true; break; }
            for (int i = 0; i < batch.Failures.Count; i++)
                progress?.Report(new TrainingImageSkipped(batch.Failures[i].Path, batch.Failures[i].Error!, state.SkippedImages + i + 1));
            state = state.After(batch, setup.Data.BatchesPerEpoch, agreed.Unreadable);
            if (agreed.Batch is not { } globalBatch) continue;
            using var scope = NewDisposeScope();
            var images = ImageTensors.ToBatch(batch.Images, options.Settings.Device);

            // Forward/backward, reduce, step.
            var metrics = trainStep.Run(images, setup.PhaseFor(batch.Index, state.Step), state.Step, batch.Epoch, globalBatch);
            state = state with { Step = metrics.Step, Weights = setup.AdaptiveWeights };

            // Log and checkpoint (rank 0).
            log?.Trained(globalBatch.Size);
            if (log is not null && IsDue(state.Step, options.Settings.LogEverySteps, setup.MaxSteps))
                Report(reports, log.Write(metrics, images));
            if (log is not null && IsDue(state.Step, setup.SampleEvery, setup.MaxSteps))
                Report(reports, log.WriteSamples(images, state.Step));
            if (IsDue(state.Step, setup.CheckpointEvery, setup.MaxSteps))
            {
                Checkpoint(setup, state, reports);
                lastCheckpoint = state.Step;
            }
        }
        // Several ranks stop only on their agreement, so that all of them report the same outcome.
        if (ranks.Size == 1 && cancellation.IsCancellationRequested) interrupted = true;
        if (lastCheckpoint != state.Step)
            Checkpoint(setup, state, reports);
        RootDecision.Run(ranks, () => TrainingCheckpoints.ExportInferenceWeights(setup, state.Step));
        return new TrainingResult(state.Step, interrupted, setup.Run.FinalModelPath, state.SkippedImages, setup.Run.Root)
        {
            Rank = ranks.Rank,
            Communication = new TrainingCommunication(ranks.Size, trainStep.Gradients.BytesReduced, trainStep.Gradients.TimeInAllReduce),
        };
    }

    private static void Checkpoint(TrainingSetup setup, TrainingState state, IProgress<TrainingEvent>? reports) =>
        RootDecision.Run(setup.Options.Ranks, () => Report(reports, TrainingCheckpoints.Save(setup, state)));

    /// <summary>VF alignment needs DINOv2 weights: refused at the start, not when the first step would load them.</summary>
    private static void RequireFoundationWeights(ExperimentConfig config)
    {
        string key = $"model.params.{ModelConfig.VisionFoundationWeightsKey}";
        if (config.Model.VisionFoundationModel is null)
        {
            if (config.Model.VisionFoundationWeights is not null)
                throw new ArgumentException(
                    $"{config.Source}: DINOv2 weights were given ({key} / --vf-weights), but the config does not align to a foundation model (use_vf is not set)");
            return;
        }
        if (config.Model.Loss!.Alignment is null) return;
        if (config.Model.Encoder is not Models.UNetOptions)
            throw new NotSupportedException($"{config.Source}: VF alignment (use_vf) is implemented for the UNet backbone only (the authors' sd3unet_gq_0.25_vf)");
        string? path = config.Model.VisionFoundationWeights;
        if (path is null)
            throw new ArgumentException(
                $"{config.Source} trains with VF alignment to DINOv2 (use_vf: {config.Model.VisionFoundationModel}), but no DINOv2 weights were given: " +
                $"pass --vf-weights FILE (or set {key}). {Nn.Dinov2.Dinov2Weights.DownloadHint}");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such DINOv2 weights file ({key} / --vf-weights). {Nn.Dinov2.Dinov2Weights.DownloadHint}", path);
    }

    // Not progress?.Report(Write(...)): without a listener that would skip the writing too.
    private static void Report(IProgress<TrainingEvent>? progress, TrainingEvent done) => progress?.Report(done);

    private static bool IsDue(long step, long period, long maxSteps) => step % period == 0 || step == maxSteps;
}
