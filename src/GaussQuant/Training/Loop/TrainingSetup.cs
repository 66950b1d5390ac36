using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Experiments;
using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// Everything a run builds once before its first step: the run directory (claimed, created or checked for resuming),
/// the data order, the model, the loss with its discriminator, both optimisers, the sampling generator, and the state
/// to start from (restored from the last checkpoint when resuming). The loop only reads it; the steps update the
/// modules, optimisers and generator it owns. In a data-parallel job every rank builds the same (the same seed gives
/// the same initial weights; a resume reads the same checkpoint, which must lie on a file system every rank sees),
/// and rank 0 alone claims and prepares the run directory.
/// </summary>
internal sealed class TrainingSetup : IDisposable
{
    private readonly OutputClaim? claim;

    private TrainingSetup(TrainingOptions options, OutputClaim? claim)
    {
        Options = options;
        this.claim = claim;
    }

    public TrainingOptions Options { get; }

    public ExperimentConfig Config => Options.Config;

    public AutoencoderLossOptions Loss => Config.Model.Loss!;

    public required RunDirectory Run { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public required TrainingData Data { get; init; }

    public required long MaxSteps { get; init; }

    public required long CheckpointEvery { get; init; }

    public required long SampleEvery { get; init; }

    /// <summary>The checkpoint this run continues from; null for a new run.</summary>
    public required long? ResumeStep { get; init; }

    public required Autoencoder Model { get; init; }

    public required LpipsPerceptualDistance? Perceptual { get; init; }

    public required AutoencoderLoss Objective { get; init; }

    public required AdversarialOptimizers Optimizers { get; init; }

    /// <summary>The posterior samples' generator (seed + 1), saved with every checkpoint.</summary>
    public required Generator Sampling { get; init; }

    public required OptimizerAlternation Alternation { get; init; }

    /// <summary>Where the run starts: step, data position, λ and skipped images (restored when resuming).</summary>
    public required TrainingState Start { get; init; }

    /// <summary>Gaussian Quant's current λ weights; the initial ones for the kinds that have none.</summary>
    public AdaptiveKlWeights AdaptiveWeights => (Model.Quantizer as GaussianQuantizer)?.Weights ?? AdaptiveKlWeights.Initial;

    /// <summary>The optimiser that trains on the batch at <paramref name="batchIndex"/> of its epoch at <paramref name="step"/>.</summary>
    public TrainingPhase PhaseFor(int batchIndex, long step) =>
        Loss.UsesDiscriminator ? Alternation.PhaseFor(batchIndex, step) : TrainingPhase.Autoencoder;

    public static TrainingSetup Create(TrainingOptions options)
    {
        var config = options.Config;
        var ranks = options.Ranks;
        var run = new RunDirectory(options.RunDirectory);
        var files = ImageInputs.Expand([config.Data!.TrainRoot!]);
        int imageSize = config.Data.ImageSize ?? config.Model.Encoder.NominalImageSize;
        var data = new TrainingData(files, imageSize, config.Data.BatchSize, options.Settings.Seed, options.Settings.RandomCrop, options.Settings.HorizontalFlip,
            options.Settings.DataWorkers, ranks.Rank, ranks.Size);
        long maxSteps = options.Settings.MaxSteps ?? config.Trainer.MaxSteps ?? (long?)config.Trainer.MaxEpochs * data.BatchesPerEpoch
            ?? throw new ArgumentException($"{config.Source}: the config sets neither max_steps nor max_epochs; pass --max-steps");
        if (config.Data.BatchSize < ranks.Size)
            throw new ArgumentException(
                $"{config.Source}: the batch size ({config.Data.BatchSize}) is smaller than the job's {ranks.Size} ranks; each rank needs at least one image of every batch");

        OutputClaim? claim = null;
        var built = new List<IDisposable>();
        try
        {
            (claim, long? resumeStep) = RootDecision.Share(ranks, () => ClaimRunDirectory(options, run));
            // The order of what draws from the global generator (model, then the loss's discriminator) fixes the initial weights.
            random.manual_seed(options.Settings.Seed);
            var model = Track(built, ModelFactory.Create(config.Model, options.Settings.Device));
            var perceptual = Track(built, LoadPerceptualLoss(options));
            var loss = config.Model.Loss!;
            var foundation = config.Model.VisionFoundationWeights is string foundationWeights && loss.Alignment is not null
                ? Track(built, Nn.Dinov2.Dinov2Weights.Load(foundationWeights, options.Settings.Device)) : null;
            var alignment = foundation is null ? null
                : Track(built, new VfAlignmentLoss(loss.Alignment!, foundation, config.Model.Encoder.LatentChannels, options.Settings.Device));
            var objective = Track(built, new AutoencoderLoss(loss, perceptual, options.Settings.Device, alignment));
            using (var initialisation = new Generator((ulong)options.Settings.Seed))
                objective.Discriminator.InitializeWeights(initialisation);
            objective.Discriminator.ShareStatisticsOver(ranks);
            model.train();
            objective.train();
            var optimizers = Track(built, new AdversarialOptimizers(
                objective.AutoencoderParameters().Concat(model.parameters()), objective.DiscriminatorParameters(),
                config.Model.BaseLearningRate, config.Model.GeneratorLearningRateFactor));
            var sampling = Track(built, new Generator((ulong)options.Settings.Seed + 1));

            var start = new TrainingState(0, 0, 0, options.Settings.Seed, AdaptiveKlWeights.Initial, 0);
            if (resumeStep is long step)
            {
                // The data order follows this run's seed, so its checkpoints record that one.
                start = TrainingCheckpoints.Restore(run, step, model, objective, sampling, optimizers) with { Seed = options.Settings.Seed };
                if (model.Quantizer is GaussianQuantizer gaussian)
                    gaussian.Weights = start.Weights;
            }
            return new TrainingSetup(options, claim)
            {
                Run = run, Files = files, Data = data, MaxSteps = maxSteps,
                CheckpointEvery = options.Settings.CheckpointEverySteps ?? config.Trainer.CheckpointEverySteps ?? 500,
                SampleEvery = options.Settings.SampleEverySteps ?? config.Trainer.ImageLogEverySteps ?? 500,
                ResumeStep = resumeStep, Model = model, Perceptual = perceptual, Objective = objective, Optimizers = optimizers,
                Sampling = sampling, Alternation = new OptimizerAlternation(config.Model.DiscriminatorStartIteration), Start = start,
            };
        }
        catch
        {
            for (int i = built.Count - 1; i >= 0; i--) built[i].Dispose();
            claim?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Sampling.Dispose();
        Optimizers.Dispose();
        Objective.Dispose();
        Perceptual?.Dispose();
        Model.Dispose();
        claim?.Dispose();
    }

    private static T Track<T>(List<IDisposable> built, T item) where T : IDisposable?
    {
        if (item is not null) built.Add(item);
        return item;
    }

    /// <summary>One trainer per run directory: a second one (a new run or a resume) is refused while this one holds it.</summary>
    /// <returns>The claim, and the step to resume from (null for a new run).</returns>
    private static (OutputClaim Claim, long? ResumeStep) ClaimRunDirectory(TrainingOptions options, RunDirectory run)
    {
        var claim = OutputClaim.ForFolder(run.Root, [], overwrite: true);
        try
        {
            long? step = PrepareRunDirectory(options, run);
            claim.Keep();
            return (claim, step);
        }
        catch
        {
            claim.Dispose();
            throw;
        }
    }

    /// <returns>The step to resume from, or null for a new run.</returns>
    private static long? PrepareRunDirectory(TrainingOptions options, RunDirectory run)
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
        ConfigYamlWriter.Write(run.ConfigPath, options.Config.Tree);
        return null;
    }

    private static LpipsPerceptualDistance? LoadPerceptualLoss(TrainingOptions options)
    {
        var loss = options.Config.Model.Loss!;
        if (loss.PerceptualWeight <= 0) return null;
        var settings = options.Settings;
        if (settings.PerceptualBackboneWeights is not { } backbonePath)
            throw new ArgumentException(
                $"{options.Config.Source} asks for a perceptual (LPIPS) loss with weight {loss.PerceptualWeight}, but no LPIPS weights were given. " +
                "Pass --lpips-weights VGG16.pth (torchvision's vgg16-397923af.pth) and --lpips-heads vgg.pth (LPIPS v0.1 linear heads), " +
                "or turn the loss off with model.params.loss_config.params.perceptual_weight=0");
        using var backbone = CheckpointLoader.Load(backbonePath);
        using var heads = (settings.PerceptualHeadWeights ?? backbonePath) == backbonePath ? null : CheckpointLoader.Load(settings.PerceptualHeadWeights!);
        return new LpipsPerceptualDistance(new Lpips(LpipsNetwork.Vgg16, backbone.Tensors, (heads ?? backbone).Tensors, settings.Device));
    }
}
