using System.Diagnostics;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Quantization;
using GaussQuant.Quantization.Continuous;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Training.Loop;

/// <summary>How a training run ended.</summary>
public sealed record TrainingResult(long FinalStep, bool Interrupted, string FinalModelPath, int SkippedImages);

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
    private const int SampleImages = 8;

    private readonly TrainingOptions options;
    private readonly ExperimentConfig config;
    private readonly RunDirectory run;

    public Trainer(TrainingOptions options)
    {
        this.options = options;
        config = options.Config;
        run = new RunDirectory(options.RunDirectory);
        if (config.Model.Loss is null)
            throw new ArgumentException($"{config.Source}: the config has no model.params.loss_config, so there is nothing to train with");
        RequireFoundationWeights(config);
        if (config.Data?.TrainRoot is null)
            throw new ArgumentException($"{config.Source}: no training data: set data.params.train.params.root or pass --data");
        if (options.Resume && options.Overwrite)
            throw new ArgumentException("resuming a run and overwriting it exclude each other: pass --resume to continue it or --overwrite to start over");
        if (options.LogEverySteps < 1)
            throw new ArgumentException($"the logging period must be at least 1 step, got {options.LogEverySteps}");
    }

    /// <summary>Long steps until <see cref="TrainingOptions.MaxSteps"/> (or the config's limit), or until cancelled (then a checkpoint is written).</summary>
    public TrainingResult Run(IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default)
    {
        // One trainer per run directory: a second one (a new run or a resume) is refused while this one holds it.
        using var claim = OutputClaim.ForFolder(run.Root, [], overwrite: true);
        var loss = config.Model.Loss!;
        var files = ImageInputs.Expand([config.Data!.TrainRoot!]);
        int imageSize = config.Data.ImageSize ?? config.Model.Encoder.Resolution;
        var data = new TrainingData(files, imageSize, config.Data.BatchSize, options.Seed, options.RandomCrop, options.HorizontalFlip, options.DataWorkers);
        long maxSteps = options.MaxSteps ?? config.Trainer.MaxSteps ?? (long?)config.Trainer.MaxEpochs * data.BatchesPerEpoch
            ?? throw new ArgumentException($"{config.Source}: the config sets neither max_steps nor max_epochs; pass --max-steps");
        long checkpointEvery = options.CheckpointEverySteps ?? config.Trainer.CheckpointEverySteps ?? 500;
        long sampleEvery = options.SampleEverySteps ?? config.Trainer.ImageLogEverySteps ?? 500;

        long? resumeStep = PrepareRunDirectory();
        claim.Keep();
        random.manual_seed(options.Seed);
        using var model = ModelFactory.Create(config.Model, options.Device);
        using var perceptual = LoadPerceptualLoss(loss);
        using var foundation = config.Model.VisionFoundationWeights is string foundationWeights && loss.Alignment is not null
            ? Nn.Dinov2.Dinov2Weights.Load(foundationWeights, options.Device) : null;
        using var alignment = foundation is null ? null
            : new VfAlignmentLoss(loss.Alignment!, foundation, config.Model.Encoder.LatentChannels, options.Device);
        using var objective = new AutoencoderLoss(loss, perceptual, options.Device, alignment);
        using var initialisation = new Generator((ulong)options.Seed);
        objective.Discriminator.InitializeWeights(initialisation);
        model.train();
        objective.train();
        using var optimizers = new AdversarialOptimizers(
            objective.AutoencoderParameters().Concat(model.parameters()), objective.DiscriminatorParameters(),
            config.Model.BaseLearningRate, config.Model.GeneratorLearningRateFactor);
        using var sampling = new Generator((ulong)options.Seed + 1);

        var state = new TrainingState(0, 0, 0, options.Seed, AdaptiveKlWeights.Initial, 0);
        if (resumeStep is long step)
        {
            state = Restore(step, model, objective, sampling, optimizers);
            if (model.Quantizer is GaussianQuantizer gaussian)
                gaussian.Weights = state.Weights;
        }

        var alternation = new OptimizerAlternation(config.Model.DiscriminatorStartIteration);
        var quantizer = model.Quantizer;
        var window = quantizer.Tokens is { IsCountable: true } format
            ? new RecentTokenWindow(format.PerPosition, (int)format.CodebookSize, Math.Max(4L * format.CodebookSize * format.PerPosition, 16384))
            : null;
        var metricsCsv = new MetricsCsv(run.MetricsPath, resumeStep);
        using var tensorBoard = new TensorBoardEvents(run.Root, resumeStep is long checkpointStep ? checkpointStep + 1 : 0);
        progress?.Report(new TrainingStarted(state.Step, maxSteps, files.Count, model.parameters().Sum(p => p.numel()), run.Root));

        long currentStep = state.Step, epoch = state.Epoch, lastCheckpoint = resumeStep ?? -1;
        int batchInEpoch = state.BatchInEpoch, skipped = state.SkippedImages;
        int imagesSinceLog = 0;
        var clock = Stopwatch.StartNew();
        bool interrupted = false;

        foreach (var batch in data.From(state.Epoch, state.BatchInEpoch))
        {
            if (currentStep >= maxSteps) break;
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }
            foreach (var failure in batch.Failures)
                progress?.Report(new TrainingImageSkipped(failure.Path, failure.Error!, ++skipped));
            (epoch, batchInEpoch) = batch.Index + 1 < data.BatchesPerEpoch ? (batch.Epoch, batch.Index + 1) : (batch.Epoch + 1, 0);
            if (batch.Images.Count == 0) continue;

            using var scope = NewDisposeScope();
            var images = ImageTensors.ToBatch(batch.Images, options.Device);
            var phase = loss.UsesDiscriminator ? alternation.PhaseFor(batch.Index, currentStep) : TrainingPhase.Autoencoder;
            GeneratorLossResult? generator = null;
            DiscriminatorLossResult? discriminator = null;
            QuantizerTrainingOutput? latent = null;
            optimizers.Step(phase, () =>
            {
                latent = quantizer.TrainingPass(model.Encoder.call(images), sampling);
                var reconstructions = model.Decode(latent.Latent);
                if (phase == TrainingPhase.Autoencoder)
                {
                    generator = objective.ComputeGeneratorLoss(images, reconstructions, latent.Losses, currentStep, model.Decoder.LastLayerWeight,
                        latent.Latent, model.Encoder.LastLayerWeight);
                    return generator.Total;
                }
                discriminator = objective.ComputeDiscriminatorLoss(images, reconstructions, currentStep);
                return discriminator.Total;
            });
            currentStep++;
            imagesSinceLog += batch.Images.Count;
            var metrics = Metrics(currentStep, batch.Epoch, phase, generator, discriminator, latent!, AdaptiveWeightsOf(model),
                imagesSinceLog / clock.Elapsed.TotalSeconds);
            RequireFinite(metrics);

            if (currentStep % options.LogEverySteps == 0 || currentStep == maxSteps)
            {
                if (window is not null)
                    using (var tokens = model.Quantize(images, new Generator((ulong)options.Seed)))
                        window.Add(tokens.Indices);
                metricsCsv.Append(metrics);
                WriteScalars(tensorBoard, metrics);
                progress?.Report(new TrainingStepLogged(metrics));
                imagesSinceLog = 0;
                clock.Restart();
            }
            if (currentStep % sampleEvery == 0 || currentStep == maxSteps)
                progress?.Report(WriteSamples(model, images, window, currentStep));
            if (currentStep % checkpointEvery == 0 || currentStep == maxSteps)
            {
                Save(currentStep, epoch, batchInEpoch, skipped, model, objective, sampling, optimizers);
                lastCheckpoint = currentStep;
                progress?.Report(new CheckpointWritten(currentStep, run.WeightsPath(currentStep)));
            }
        }
        if (cancellation.IsCancellationRequested) interrupted = true;
        if (lastCheckpoint != currentStep)
        {
            Save(currentStep, epoch, batchInEpoch, skipped, model, objective, sampling, optimizers);
            progress?.Report(new CheckpointWritten(currentStep, run.WeightsPath(currentStep)));
        }
        ExportInferenceWeights(model, currentStep);
        return new TrainingResult(currentStep, interrupted, run.FinalModelPath, skipped);
    }

    /// <returns>The step to resume from, or null for a new run.</returns>
    private long? PrepareRunDirectory()
    {
        long? last = options.Overwrite ? null : run.LastStep();
        if (options.Resume)
        {
            if (last is null)
                throw new InvalidOperationException($"{run.Root}: there is no checkpoint to resume from (checkpoints/last is missing)");
            return last;
        }
        var previous = run.ExistingEntries();
        if (previous.Count > 0 && !options.Overwrite)
            throw new InvalidOperationException(
                $"{run.Root} already holds a run ({(last is null ? "no checkpoint yet" : $"last checkpoint at step {last}")}; " +
                $"{string.Join(", ", previous.Select(Path.GetFileName))}); pass --resume to continue it, --overwrite to start over " +
                "(its files are deleted), or choose another --out");
        run.Delete(previous);
        run.Create();
        ConfigYamlWriter.Write(run.ConfigPath, config.Tree);
        return null;
    }

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
        string? path = config.Model.VisionFoundationWeights;
        if (path is null)
            throw new ArgumentException(
                $"{config.Source} trains with VF alignment to DINOv2 (use_vf: {config.Model.VisionFoundationModel}), but no DINOv2 weights were given: " +
                $"pass --vf-weights FILE (or set {key}). {Nn.Dinov2.Dinov2Weights.DownloadHint}");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such DINOv2 weights file ({key} / --vf-weights). {Nn.Dinov2.Dinov2Weights.DownloadHint}", path);
    }

    private LpipsPerceptualDistance? LoadPerceptualLoss(AutoencoderLossOptions loss)
    {
        if (loss.PerceptualWeight <= 0) return null;
        if (options.PerceptualBackboneWeights is null || options.PerceptualHeadWeights is null)
            throw new ArgumentException(
                $"{config.Source} asks for a perceptual (LPIPS) loss with weight {loss.PerceptualWeight}, but no LPIPS weights were given. " +
                "Pass --lpips-weights VGG16.pth (torchvision's vgg16-397923af.pth) and --lpips-heads vgg.pth (LPIPS v0.1 linear heads), " +
                "or turn the loss off with model.params.loss_config.params.perceptual_weight=0");
        using var backbone = CheckpointLoader.Load(options.PerceptualBackboneWeights);
        using var heads = options.PerceptualHeadWeights == options.PerceptualBackboneWeights
            ? null : CheckpointLoader.Load(options.PerceptualHeadWeights);
        return new LpipsPerceptualDistance(new Lpips(LpipsNetwork.Vgg16, backbone.Tensors, (heads ?? backbone).Tensors, options.Device));
    }

    private TrainingState Restore(long step, Autoencoder model, AutoencoderLoss objective, Generator sampling, AdversarialOptimizers optimizers)
    {
        string weightsPath = run.WeightsPath(step);
        using (var weights = CheckpointLoader.Load(weightsPath))
        {
            ModuleWeights.LoadInto(model, weights.Tensors, weightsPath);
            ModuleWeights.LoadInto(objective, weights.Tensors, weightsPath, "loss.");
            if (objective.Alignment is { } alignment)
                ModuleWeights.LoadInto(alignment, weights.Tensors, weightsPath);
        }
        return TrainingState.Read(run.StatePath(step), sampling, optimizers);
    }

    private void Save(long step, long epoch, int batchInEpoch, int skipped, Autoencoder model, AutoencoderLoss objective,
        Generator sampling, AdversarialOptimizers optimizers)
    {
        var tensors = new Dictionary<string, Tensor>(model.state_dict());
        foreach (var (name, value) in objective.state_dict())
            tensors["loss." + name] = value;
        // linear_proj.* at the top level, where the reference's AutoencodingEngine keeps it.
        foreach (var (name, value) in objective.Alignment?.state_dict() ?? [])
            tensors[name] = value;
        SafetensorsFile.Write(run.WeightsPath(step), tensors, new Dictionary<string, string>
        {
            [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToPortableYaml(config.Tree),
            [ModelFileMetadata.StepKey] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        new TrainingState(step, epoch, batchInEpoch, options.Seed, AdaptiveWeightsOf(model), skipped)
            .Write(run.StatePath(step), sampling, optimizers);
        run.MarkLast(step);
    }

    /// <summary>The final model: inference weights, with the resolved config and the step inside, so the file describes itself.</summary>
    private void ExportInferenceWeights(Autoencoder model, long step) =>
        SafetensorsFile.Write(run.FinalModelPath, model.state_dict(), new Dictionary<string, string>
        {
            [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToPortableYaml(config.Tree),
            [ModelFileMetadata.StepKey] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>Inputs | VQ reconstructions | posterior-mean reconstructions (no VQ row for a model without tokens).</summary>
    private SamplesWritten WriteSamples(Autoencoder model, Tensor images, RecentTokenWindow? window, long step)
    {
        using var scope = NewDisposeScope();
        var shown = images.narrow(0, 0, Math.Min(SampleImages, images.shape[0]));
        var rows = new List<IReadOnlyList<RgbImage>> { ImageTensors.ToImages(shown) };
        using (no_grad())
        {
            if (model.Quantizer.Tokens is not null)
                rows.Add(ImageTensors.ToImages(model.Decode(model.Quantize(shown, new Generator((ulong)options.Seed)).Quantized)));
            rows.Add(ImageTensors.ToImages(model.Decode(model.EncodeContinuous(shown, new Generator((ulong)options.Seed)).Mean)));
        }
        string path = run.SamplesPath(step);
        ImageEncoder.WritePng(path, ImageGrid.Compose(rows));
        var usage = window is { Tokens: > 0 } ? window.Summarize().Pooled : null;
        return new SamplesWritten(step, path, usage?.UsageFraction ?? 0, usage?.EntropyBits ?? 0, window?.Tokens ?? 0);
    }

    /// <summary>Gaussian Quant's current λ weights; the initial ones for the kinds that have none.</summary>
    private static AdaptiveKlWeights AdaptiveWeightsOf(Autoencoder model) =>
        (model.Quantizer as GaussianQuantizer)?.Weights ?? AdaptiveKlWeights.Initial;

    private static TrainingStepMetrics Metrics(long step, long epoch, TrainingPhase phase, GeneratorLossResult? generator,
        DiscriminatorLossResult? discriminator, QuantizerTrainingOutput latent, AdaptiveKlWeights weights, double imagesPerSecond) => new()
    {
        Step = step,
        Epoch = epoch,
        Phase = phase,
        ImagesPerSecond = imagesPerSecond,
        Loss = generator?.TotalValue ?? discriminator!.Loss,
        Nll = generator?.Nll ?? 0,
        Reconstruction = generator?.Reconstruction ?? 0,
        KlLoss = KlTerm(latent),
        RegularizationTerms = latent.Losses.ToDictionary(pair => pair.Key, pair => (double)pair.Value.detach().item<float>()),
        Bits = latent.Bits,
        Weights = weights,
        LogVariance = generator?.LogVariance ?? 0,
        GeneratorLoss = generator?.Generator ?? 0,
        AdaptiveWeight = generator?.AdaptiveWeight ?? 0,
        DiscriminatorLoss = discriminator?.Loss ?? 0,
        LogitsReal = discriminator?.LogitsReal ?? 0,
        LogitsFake = discriminator?.LogitsFake ?? 0,
        Alignment = generator?.Alignment,
    };

    private static double KlTerm(QuantizerTrainingOutput latent) =>
        latent.Losses.FirstOrDefault(term => IsKlTerm(term.Key)).Value is { } kl ? kl.detach().item<float>() : 0;

    private static bool IsKlTerm(string name) => name is GaussianQuantizer.LossName or GaussianKlRegularizerOptions.LossName;

    /// <summary>A NaN or infinite loss stops the run; the last checkpoint (written before this step) stays the last good one.</summary>
    private static void RequireFinite(TrainingStepMetrics metrics)
    {
        foreach (var (name, value) in (IEnumerable<(string, double)>)
                 [
                     ("loss", metrics.Loss), ("nll", metrics.Nll), ("kl_loss", metrics.KlLoss), ("bits_mean", metrics.Bits.Mean),
                     ("g_loss", metrics.GeneratorLoss), ("disc_loss", metrics.DiscriminatorLoss),
                     ("vf", metrics.Alignment?.Loss ?? 0), ("vf_weight", metrics.Alignment?.Weight ?? 0),
                     .. metrics.RegularizationTerms.Select(term => (term.Key, term.Value)),
                 ])
        {
            if (!double.IsFinite(value))
                throw new TrainingDivergedException(metrics.Step, name, value);
        }
    }

    private static void WriteScalars(TensorBoardEvents writer, TrainingStepMetrics m) => writer.AddScalars(m.Step,
    [
        ("train/loss/total", (float)m.Loss), ("train/loss/nll", (float)m.Nll), ("train/loss/rec", (float)m.Reconstruction),
        ("train/kl_loss", (float)m.KlLoss), ("train/bits-mean", (float)m.Bits.Mean), ("train/bits-min", (float)m.Bits.Min),
        ("train/bits-max", (float)m.Bits.Max), ("train/lambda", (float)m.Weights.Lambda), ("train/lambda-min", (float)m.Weights.LambdaMin),
        ("train/lambda-max", (float)m.Weights.LambdaMax), ("train/scalars/logvar", (float)m.LogVariance), ("train/loss/g", (float)m.GeneratorLoss),
        ("train/scalars/d_weight", (float)m.AdaptiveWeight), ("train/loss/disc", (float)m.DiscriminatorLoss),
        ("train/images_per_s", (float)m.ImagesPerSecond),
        .. m.Alignment is { } vf
            ? new[] { ("train/loss/vf", (float)vf.Loss), ("train/loss/vf_distmat", (float)vf.DistanceMatrix), ("train/loss/vf_cos", (float)vf.Cosine),
                ("train/scalars/vf_weight", (float)vf.Weight) }
            : [],
        // The KL terms are train/kl_loss already; the other kinds' terms under their own names.
        .. m.RegularizationTerms.Where(term => !IsKlTerm(term.Key)).Select(term => ($"train/{term.Key}", (float)term.Value)),
    ]);
}
