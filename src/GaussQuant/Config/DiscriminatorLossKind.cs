namespace GaussQuant.Config;

/// <summary>The discriminator's objective (<c>disc_loss</c>).</summary>
public enum DiscriminatorLossKind
{
    /// <summary>0.5·(mean(relu(1 − real)) + mean(relu(1 + fake))).</summary>
    Hinge,

    /// <summary>0.5·(mean(softplus(−real)) + mean(softplus(fake))).</summary>
    Vanilla,
}
