namespace GaussQuant.Training;

/// <summary>Which of the two optimisers a training batch updates.</summary>
public enum TrainingPhase
{
    /// <summary>Encoder, decoder, regularizer and learned log-variance, on the generator objective.</summary>
    Autoencoder,

    /// <summary>The PatchGAN discriminator, on the discriminator objective.</summary>
    Discriminator,
}
