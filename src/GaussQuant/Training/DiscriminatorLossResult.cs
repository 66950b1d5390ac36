using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// The discriminator objective of one step and the values the reference logs with it.
/// <see cref="Total"/> carries the autograd graph; the caller owns it (dispose it, or let its dispose scope).
/// </summary>
public sealed record DiscriminatorLossResult
{
    /// <summary>
    /// The scalar to back-propagate: factor·hinge or vanilla loss; before the adversarial start a constant 0 that
    /// requires grad, so back-propagating it is a no-op and the discriminator's parameters get no gradient.
    /// </summary>
    public required Tensor Total { get; init; }

    /// <summary>Value of <see cref="Total"/> (<c>loss/disc</c>).</summary>
    public required double Loss { get; init; }

    /// <summary>Mean logit on the real images (<c>logits/real</c>).</summary>
    public required double LogitsReal { get; init; }

    /// <summary>Mean logit on the reconstructions (<c>logits/fake</c>).</summary>
    public required double LogitsFake { get; init; }
}
