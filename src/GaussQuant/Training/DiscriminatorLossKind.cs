namespace GaussQuant.Training;

/// <summary>How the discriminator's logits on real and reconstructed images are scored (<c>disc_loss</c>).</summary>
public enum DiscriminatorLossKind
{
    /// <summary>½·(mean(relu(1 − real)) + mean(relu(1 + fake))) (<c>"hinge"</c>, the default).</summary>
    Hinge,

    /// <summary>½·(mean(softplus(−real)) + mean(softplus(fake))) (<c>"vanilla"</c>, the non-saturating GAN loss).</summary>
    Vanilla,
}
