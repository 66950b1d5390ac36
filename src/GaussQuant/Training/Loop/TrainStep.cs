using GaussQuant.Native;
using GaussQuant.Distributed;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// One optimisation step on one batch, in named phases: forward (encoder → the quantizer's training pass → decoder →
/// the phase's loss) and backward, reduce (in a data-parallel job: the gradients and the logged values summed over
/// the ranks; nothing in one process), and the optimiser's step. Returns the step's logged values, the whole batch's
/// on every rank; a NaN or infinite one stops the run.
/// </summary>
internal sealed class TrainStep(TrainingSetup setup)
{
    private readonly GradientBuckets gradients = new(setup.Options.Ranks);

    /// <summary>What the reduce phases have summed so far.</summary>
    public GradientBuckets Gradients => gradients;

    /// <param name="images">This rank's rows of the batch.</param>
    /// <param name="step">Batches trained before this one (the reference's <c>global_step</c>).</param>
    /// <param name="batch">Which rows of the global batch <paramref name="images"/> are.</param>
    /// <remarks>Runs with collections held off (<see cref="CollectionPause"/>): TorchSharp's Adam would otherwise crash now and then.</remarks>
    public TrainingStepMetrics Run(Tensor images, TrainingPhase phase, long step, long epoch, GlobalBatch batch) =>
        CollectionPause.Run(() => Train(images, phase, step, epoch, batch));

    private TrainingStepMetrics Train(Tensor images, TrainingPhase phase, long step, long epoch, GlobalBatch batch)
    {
        using var scope = NewDisposeScope();
        StepLosses losses;
        using (setup.Optimizers.BeginBackward(phase))
        {
            losses = Forward(images, phase, step, batch);
            // A rank's mean over its rows, times its share of the rows, is its part of the whole batch's mean.
            (batch.IsSplit ? losses.Objective.mul(batch.Fraction) : losses.Objective).backward();
        }
        if (batch.IsSplit)
            gradients.Sum(setup.Optimizers.TrainedBy(phase));
        setup.Optimizers.Apply(phase);
        var metrics = losses.Metrics(step + 1, epoch, phase, setup.AdaptiveWeights);
        if (batch.IsSplit)
            metrics = OverRanks(metrics, batch);
        RequireFinite(metrics);
        return metrics;
    }

    private StepLosses Forward(Tensor images, TrainingPhase phase, long step, GlobalBatch batch)
    {
        var model = setup.Model;
        var shared = batch.IsSplit ? batch : null;
        var latent = model.Quantizer.TrainingPass(model.Encoder.call(images), setup.Sampling, shared);
        // The authors' forward clamps to clamp_range, so their loss sees (and back-propagates through) the clamped images.
        var reconstructions = model.ClampOutput(model.Decode(latent.Latent));
        if (phase == TrainingPhase.Autoencoder)
        {
            var generator = setup.Objective.ComputeGeneratorLoss(images, reconstructions, latent.Losses, step, model.Decoder.LastLayerWeight, shared,
                latent.Latent, model.Encoder.LastLayerWeight);
            return new StepLosses(latent, generator.Total, generator, null);
        }
        var discriminator = setup.Objective.ComputeDiscriminatorLoss(images, reconstructions, step);
        return new StepLosses(latent, discriminator.Total, null, discriminator);
    }

    /// <summary>
    /// The whole batch's logged values: each rank's means weighed by its share and summed (λ, the KL statistics and the
    /// adaptive weight are the whole batch's already, and equal on every rank, so weighing them changes nothing but rounding).
    /// </summary>
    private static TrainingStepMetrics OverRanks(TrainingStepMetrics m, GlobalBatch batch)
    {
        var names = m.RegularizationTerms.Keys.Order(StringComparer.Ordinal).ToList();
        double[] values =
        [
            m.Loss, m.Nll, m.Reconstruction, m.KlLoss, m.LogVariance, m.GeneratorLoss, m.AdaptiveWeight, m.DiscriminatorLoss,
            m.LogitsReal, m.LogitsFake, m.Alignment?.Loss ?? 0, m.Alignment?.DistanceMatrix ?? 0, m.Alignment?.Cosine ?? 0,
            m.Alignment?.Weight ?? 0, .. names.Select(name => m.RegularizationTerms[name]),
        ];
        for (int i = 0; i < values.Length; i++)
            values[i] *= batch.Fraction;
        batch.Sum(values);
        return m with
        {
            Loss = values[0], Nll = values[1], Reconstruction = values[2], KlLoss = values[3], LogVariance = values[4],
            GeneratorLoss = values[5], AdaptiveWeight = values[6], DiscriminatorLoss = values[7], LogitsReal = values[8],
            LogitsFake = values[9], RegularizationTerms = names.Select((name, i) => (name, values[14 + i])).ToDictionary(),
            Alignment = m.Alignment is null ? null : new VfAlignmentValues(values[10], values[11], values[12], values[13]),
        };
    }

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

    /// <summary>What the forward pass of one phase gave: the quantizer's output and exactly one of the two losses.</summary>
    private sealed record StepLosses(QuantizerTrainingOutput Latent, Tensor Objective, GeneratorLossResult? Generator,
        DiscriminatorLossResult? Discriminator)
    {
        public TrainingStepMetrics Metrics(long step, long epoch, TrainingPhase phase, AdaptiveKlWeights weights) => new()
        {
            Step = step,
            Epoch = epoch,
            Phase = phase,
            ImagesPerSecond = 0,
            Loss = Generator?.TotalValue ?? Discriminator!.Loss,
            Nll = Generator?.Nll ?? 0,
            Reconstruction = Generator?.Reconstruction ?? 0,
            KlLoss = Latent.Losses.FirstOrDefault(term => MetricTable.IsKlTerm(term.Key)).Value is { } kl ? kl.detach().item<float>() : 0,
            RegularizationTerms = Latent.Losses.ToDictionary(pair => pair.Key, pair => (double)pair.Value.detach().item<float>()),
            Bits = Latent.Bits,
            Weights = weights,
            LogVariance = Generator?.LogVariance ?? 0,
            GeneratorLoss = Generator?.Generator ?? 0,
            AdaptiveWeight = Generator?.AdaptiveWeight ?? 0,
            DiscriminatorLoss = Discriminator?.Loss ?? 0,
            LogitsReal = Discriminator?.LogitsReal ?? 0,
            LogitsFake = Discriminator?.LogitsFake ?? 0,
            Alignment = Generator?.Alignment,
        };
    }
}
