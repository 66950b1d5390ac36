using GaussQuant.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// The reference's training loss (<c>GeneralLPIPSWithDiscriminator</c>, GQ_SPEC §4.3): an L1 + perceptual
/// reconstruction term under a learned output log-variance, an adaptively weighted PatchGAN term, and the
/// regularizer's weighted losses for the autoencoder, and with VF alignment (§4.5) an adaptively weighted
/// <see cref="VfAlignmentLoss"/>; a hinge or vanilla GAN loss for the discriminator.
/// Its own state is <c>logvar</c> and <c>discriminator.*</c> (the reference's <c>loss.*</c> keys without the
/// frozen <c>perceptual_loss.*</c>, which belongs to the perceptual distance passed in). The alignment's
/// <c>linear_proj</c> is the reference model's, not its loss's, so it is not among them: see <see cref="Alignment"/>.
/// </summary>
public sealed class AutoencoderLoss : nn.Module
{
    private const double GradientNormEpsilon = 1e-4;
    private const double MaxAdaptiveWeight = 1e4;
    private const double MaxAdaptiveVfWeight = 1e8;

    private readonly AutoencoderLossOptions options;
    private readonly IPerceptualDistance? perceptual;
    private readonly Parameter logvar;
    private readonly NLayerDiscriminator discriminator;
    private readonly VfAlignmentLoss? alignment;

    /// <param name="options">The loss configuration.</param>
    /// <param name="perceptual">The perceptual distance; required when the perceptual weight is positive.</param>
    /// <param name="device">Where the parameters are created (CPU by default).</param>
    /// <param name="alignment">The VF-alignment loss; required exactly when <see cref="AutoencoderLossOptions.Alignment"/> is set.</param>
    public AutoencoderLoss(AutoencoderLossOptions options, IPerceptualDistance? perceptual = null, Device? device = null,
        VfAlignmentLoss? alignment = null)
        : base(nameof(AutoencoderLoss))
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Alignment is null) != (alignment is null))
            throw new ArgumentException(options.Alignment is null
                ? "a VF-alignment loss was given, but the loss configuration has no alignment (use_vf)"
                : "the loss configuration aligns the latent to a foundation model (use_vf), but no VF-alignment loss was given", nameof(alignment));
        if (options.PerceptualWeight < 0 || !double.IsFinite(options.PerceptualWeight))
            throw new ArgumentException($"perceptual weight must be a finite value ≥ 0, got {options.PerceptualWeight}", nameof(options));
        if (options.PerceptualWeight > 0 && perceptual is null)
            throw new ArgumentException(
                $"perceptual weight is {options.PerceptualWeight} but no perceptual distance (LPIPS) was given; pass one or set the weight to 0",
                nameof(perceptual));
        this.options = options;
        this.perceptual = perceptual;
        this.alignment = alignment;
        // Registered explicitly: the perceptual distance may itself be a module, and its frozen weights are not ours.
        logvar = new Parameter(full(Array.Empty<long>(), options.LogVarianceInit, device: device), requires_grad: options.LearnLogVariance);
        register_parameter(nameof(logvar), logvar);
        discriminator = new NLayerDiscriminator(options.Discriminator, device);
        discriminator.InitializeWeights();
        register_module(nameof(discriminator), discriminator);
    }

    public NLayerDiscriminator Discriminator => discriminator;

    /// <summary>The VF-alignment loss, whose <c>linear_proj</c> is saved under the reference model's top-level key; null without use_vf.</summary>
    public VfAlignmentLoss? Alignment => alignment;

    /// <summary>The parameters trained with the autoencoder: the log-variance when it is learned, and <c>linear_proj</c> with alignment.</summary>
    public IEnumerable<Parameter> AutoencoderParameters() =>
        (options.LearnLogVariance ? [logvar] : Enumerable.Empty<Parameter>()).Concat(alignment?.parameters() ?? []);

    /// <summary>The parameters trained by the discriminator's optimiser.</summary>
    public IEnumerable<Parameter> DiscriminatorParameters() => discriminator.parameters();

    /// <summary>
    /// The autoencoder's objective for one step. Before <see cref="AutoencoderLossOptions.DiscriminatorStart"/>
    /// (in training mode) the adversarial term is 0 and the discriminator is not run at all.
    /// </summary>
    /// <param name="images">x, [B, C, H, W].</param>
    /// <param name="reconstructions">x̂, same shape, attached to the autoencoder's graph.</param>
    /// <param name="regularizationLosses">The regularizer's loss terms by name; every name with a configured weight must be present.</param>
    /// <param name="globalStep">Batches trained so far, both phases counted (the reference's <c>global_step</c>).</param>
    /// <param name="lastLayerWeight">The decoder's last convolution weight (<c>decoder.conv_out.weight</c>), for the adaptive weight.</param>
    /// <param name="batch">
    /// This rank's part of a data-parallel batch: the adaptive weight then comes from the whole batch's gradients (each
    /// rank's mean-loss gradient weighed by its share and summed over the ranks; so does the adaptive VF weight). Null:
    /// the images are the whole batch.
    /// </param>
    /// <param name="latent">With alignment: the regularizer's output z (the Gaussian sample in training), attached to the graph.</param>
    /// <param name="encoderLastLayerWeight">With adaptive alignment: <c>encoder.conv_out.weight</c>, where the VF weight balances the gradients.</param>
    public GeneratorLossResult ComputeGeneratorLoss(Tensor images, Tensor reconstructions,
        IReadOnlyDictionary<string, Tensor> regularizationLosses, long globalStep, Tensor lastLayerWeight, GlobalBatch? batch = null,
        Tensor? latent = null, Tensor? encoderLastLayerWeight = null)
    {
        ArgumentNullException.ThrowIfNull(regularizationLosses);
        ArgumentNullException.ThrowIfNull(lastLayerWeight);
        if (alignment is not null && (latent is null || encoderLastLayerWeight is null))
            throw new ArgumentException("VF alignment needs the latent and the encoder's last layer weight (encoder.conv_out.weight)", nameof(latent));
        CheckImagePair(images, reconstructions);
        // Stricter than the reference, which silently skips a weighted term the regularizer does not report.
        foreach (var name in options.RegularizationWeights.Keys)
            if (!regularizationLosses.ContainsKey(name))
                throw new ArgumentException(
                    $"the regularizer gave no '{name}' loss, but the loss configuration weights it (regularization_weights); " +
                    $"it gave: {string.Join(", ", regularizationLosses.Keys)}", nameof(regularizationLosses));
        using var scope = NewDisposeScope();

        var reconstruction = ReconstructionLoss(images, reconstructions);
        var nll = reconstruction / logvar.exp() + logvar;
        var nllLoss = nll.sum() / nll.shape[0];

        var total = nllLoss;
        double generatorValue = 0, adaptiveWeightValue = 0;
        if (AdversarialTermsActive(globalStep))
        {
            var generatorLoss = -discriminator.forward(reconstructions).mean();
            var adaptiveWeight = training ? AdaptiveWeight(nllLoss, generatorLoss, lastLayerWeight, batch) : tensor(1.0f, device: images.device);
            total = total + adaptiveWeight * options.DiscriminatorFactor * generatorLoss;
            generatorValue = generatorLoss.item<float>();
            adaptiveWeightValue = adaptiveWeight.item<float>();
        }

        VfAlignmentValues? aligned = null;
        if (alignment is not null)
        {
            // The features do not depend on the autoencoder: computed once per step, without gradients.
            var terms = alignment.Compute(latent!, alignment.Features(images));
            var weight = VfWeight(nllLoss, terms.Loss, encoderLastLayerWeight!, images.device, batch);
            total = total + weight * terms.Loss;
            aligned = new VfAlignmentValues(terms.Loss.item<float>(), terms.DistanceMatrix.item<float>(), terms.Cosine.item<float>(), weight.item<float>());
        }

        var regularizationValues = new Dictionary<string, double>();
        foreach (var (name, term) in regularizationLosses)
        {
            if (!options.RegularizationWeights.TryGetValue(name, out double weight))
                continue;
            total = total + weight * term;
            regularizationValues[name] = term.detach().mean().item<float>();
        }

        return new GeneratorLossResult
        {
            Total = total.MoveToOuterDisposeScope(),
            TotalValue = total.item<float>(),
            Nll = nllLoss.item<float>(),
            Reconstruction = reconstruction.detach().mean().item<float>(),
            Generator = generatorValue,
            AdaptiveWeight = adaptiveWeightValue,
            LogVariance = logvar.item<float>(),
            Regularization = regularizationValues,
            Alignment = aligned,
        };
    }

    /// <summary>
    /// The discriminator's objective for one step, on detached images. The discriminator runs even before
    /// <see cref="AutoencoderLossOptions.DiscriminatorStart"/> (as in the reference: its first training-mode
    /// forward initialises ActNorm from the real batch, and the logits are logged); the loss is a constant 0 then.
    /// </summary>
    public DiscriminatorLossResult ComputeDiscriminatorLoss(Tensor images, Tensor reconstructions, long globalStep)
    {
        CheckImagePair(images, reconstructions);
        using var scope = NewDisposeScope();
        bool active = AdversarialTermsActive(globalStep);

        Tensor logitsReal, logitsFake;
        using (IDisposable? noGradient = active ? null : no_grad())
        {
            logitsReal = discriminator.forward(images.detach());
            logitsFake = discriminator.forward(reconstructions.detach());
        }
        var total = active
            ? options.DiscriminatorFactor * GanLoss(logitsReal, logitsFake)
            : zeros(Array.Empty<long>(), device: images.device, requires_grad: true);

        return new DiscriminatorLossResult
        {
            Total = total.MoveToOuterDisposeScope(),
            Loss = total.item<float>(),
            LogitsReal = logitsReal.detach().mean().item<float>(),
            LogitsFake = logitsFake.detach().mean().item<float>(),
        };
    }

    // The reference also runs the adversarial terms whenever the loss module is in eval mode.
    private bool AdversarialTermsActive(long globalStep) => globalStep >= options.DiscriminatorStart || !training;

    private Tensor ReconstructionLoss(Tensor images, Tensor reconstructions)
    {
        var reconstruction = (images - reconstructions).abs();
        if (options.PerceptualWeight <= 0)
            return reconstruction;
        var distance = perceptual!.Distance(images, reconstructions);
        long batch = images.shape[0];
        if (!distance.shape.SequenceEqual([batch, 1L, 1L, 1L]))
            throw new InvalidOperationException(
                $"the perceptual distance returned shape [{string.Join(", ", distance.shape)}], expected [{batch}, 1, 1, 1]");
        // The reference's quirk, reproduced for parity: each image's single distance is added to every element.
        return reconstruction + options.PerceptualWeight * distance;
    }

    /// <summary>
    /// ‖∇_W nll‖ / (‖∇_W g‖ + 1e-4), clamped to [0, 1e4], detached, times the discriminator weight: balances the
    /// adversarial gradient against the reconstruction gradient at the decoder's last layer W.
    /// </summary>
    private Tensor AdaptiveWeight(Tensor nllLoss, Tensor generatorLoss, Tensor lastLayerWeight, GlobalBatch? batch)
    {
        if (!lastLayerWeight.requires_grad)
            throw new ArgumentException("the decoder's last layer weight must require grad to compute the adaptive GAN weight",
                nameof(lastLayerWeight));
        return GradientRatio(nllLoss, generatorLoss, lastLayerWeight, MaxAdaptiveWeight, batch) * options.DiscriminatorWeight;
    }

    /// <summary>
    /// The VF term's weight: adaptive, clamp(‖∇_E nll‖ / (‖∇_E vf‖ + 1e-4), 0, 1e8) · vf_weight at E =
    /// <c>encoder.conv_out.weight</c>, and 0 outside training (the reference's gradient fails there and it falls back
    /// to 0); fixed, vf_weight.
    /// </summary>
    private Tensor VfWeight(Tensor nllLoss, Tensor vfLoss, Tensor encoderLastLayerWeight, Device device, GlobalBatch? batch)
    {
        var vf = alignment!.Options;
        if (!vf.Adaptive)
            return tensor((float)vf.Weight, device: device);
        if (!training)
            return tensor(0f, device: device);
        if (!encoderLastLayerWeight.requires_grad)
            throw new ArgumentException("the encoder's last layer weight must require grad to compute the adaptive VF weight",
                nameof(encoderLastLayerWeight));
        return GradientRatio(nllLoss, vfLoss, encoderLastLayerWeight, MaxAdaptiveVfWeight, batch) * vf.Weight;
    }

    /// <summary>‖∇_W reference‖ / (‖∇_W term‖ + 1e-4) of the whole batch, clamped to [0, max] and detached: one term's gradient scaled to the NLL's at W.</summary>
    private static Tensor GradientRatio(Tensor reference, Tensor term, Tensor layer, double max, GlobalBatch? batch)
    {
        var referenceGradient = WholeBatchGradient(autograd.grad([reference], [layer], retain_graph: true)[0], batch);
        var termGradient = WholeBatchGradient(autograd.grad([term], [layer], retain_graph: true)[0], batch);
        var ratio = referenceGradient.norm() / (termGradient.norm() + GradientNormEpsilon);
        return ratio.clamp(0.0, max).detach();
    }

    private static Tensor WholeBatchGradient(Tensor rankGradient, GlobalBatch? batch) =>
        batch is { IsSplit: true } ? batch.Sum(rankGradient.mul(batch.Fraction)) : rankGradient;

    private Tensor GanLoss(Tensor logitsReal, Tensor logitsFake) => options.DiscriminatorLoss switch
    {
        DiscriminatorLossKind.Hinge =>
            0.5 * (nn.functional.relu(1.0 - logitsReal).mean() + nn.functional.relu(1.0 + logitsFake).mean()),
        DiscriminatorLossKind.Vanilla =>
            0.5 * (nn.functional.softplus(-logitsReal).mean() + nn.functional.softplus(logitsFake).mean()),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.DiscriminatorLoss, "unknown discriminator loss"),
    };

    private static void CheckImagePair(Tensor images, Tensor reconstructions)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(reconstructions);
        if (images.dim() != 4 || !images.shape.SequenceEqual(reconstructions.shape))
            throw new ArgumentException(
                $"images and reconstructions must both be [B, C, H, W] of the same shape, got [{string.Join(", ", images.shape)}] " +
                $"and [{string.Join(", ", reconstructions.shape)}]", nameof(reconstructions));
    }
}
