using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// The autoencoder (generator) objective of one step and the values the reference logs with it.
/// <see cref="Total"/> carries the autograd graph; the caller owns it (dispose it, or let its dispose scope).
/// </summary>
public sealed record GeneratorLossResult
{
    /// <summary>The scalar to back-propagate: NLL + adaptive weight·factor·adversarial term + weighted regularization.</summary>
    public required Tensor Total { get; init; }

    /// <summary>Value of <see cref="Total"/> (<c>loss/total</c>).</summary>
    public required double TotalValue { get; init; }

    /// <summary>Σ (rec / e^logvar + logvar) / B (<c>loss/nll</c>).</summary>
    public required double Nll { get; init; }

    /// <summary>Mean over all elements of |x − x̂| + perceptual weight·distance (<c>loss/rec</c>).</summary>
    public required double Reconstruction { get; init; }

    /// <summary>−mean(D(x̂)); 0 before the adversarial start (<c>loss/g</c>).</summary>
    public required double Generator { get; init; }

    /// <summary>Adaptive weight of the adversarial term; 0 before the adversarial start (<c>scalars/d_weight</c>).</summary>
    public required double AdaptiveWeight { get; init; }

    /// <summary>The output log-variance used in this step (<c>scalars/logvar</c>).</summary>
    public required double LogVariance { get; init; }

    /// <summary>Unweighted value of every regularization term that entered the total, by its name (e.g. <c>kl_loss</c>).</summary>
    public required IReadOnlyDictionary<string, double> Regularization { get; init; }

    /// <summary>The VF-alignment values (<c>loss/vf</c> and its terms); null without alignment.</summary>
    public VfAlignmentValues? Alignment { get; init; }
}
