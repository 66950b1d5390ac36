using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// One optimisation step on one batch, in named phases: forward (encoder → the quantizer's training pass → decoder →
/// the phase's loss) and backward, reduce (nothing to do in one process), and the optimiser's step. Returns the step's
/// logged values; a NaN or infinite one stops the run.
/// </summary>
internal sealed class TrainStep(TrainingSetup setup)
{
    /// <param name="step">Batches trained before this one (the reference's <c>global_step</c>).</param>
    public TrainingStepMetrics Run(Tensor images, TrainingPhase phase, long step, long epoch)
    {
        using var scope = NewDisposeScope();
        StepLosses losses;
        using (setup.Optimizers.BeginBackward(phase))
        {
            losses = Forward(images, phase, step);
            losses.Objective.backward();
        }
        setup.Optimizers.Apply(phase);
        var metrics = losses.Metrics(step + 1, epoch, phase, setup.AdaptiveWeights);
        RequireFinite(metrics);
        return metrics;
    }

    private StepLosses Forward(Tensor images, TrainingPhase phase, long step)
    {
        var model = setup.Model;
        var latent = model.Quantizer.TrainingPass(model.Encoder.call(images), setup.Sampling);
        var reconstructions = model.Decode(latent.Latent);
        if (phase == TrainingPhase.Autoencoder)
        {
            var generator = setup.Objective.ComputeGeneratorLoss(images, reconstructions, latent.Losses, step, model.Decoder.LastLayerWeight);
            return new StepLosses(latent, generator.Total, generator, null);
        }
        var discriminator = setup.Objective.ComputeDiscriminatorLoss(images, reconstructions, step);
        return new StepLosses(latent, discriminator.Total, null, discriminator);
    }

    /// <summary>A NaN or infinite loss stops the run; the last checkpoint (written before this step) stays the last good one.</summary>
    private static void RequireFinite(TrainingStepMetrics metrics)
    {
        foreach (var (name, value) in (IEnumerable<(string, double)>)
                 [
                     ("loss", metrics.Loss), ("nll", metrics.Nll), ("kl_loss", metrics.KlLoss), ("bits_mean", metrics.Bits.Mean),
                     ("g_loss", metrics.GeneratorLoss), ("disc_loss", metrics.DiscriminatorLoss),
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
        };
    }
}
