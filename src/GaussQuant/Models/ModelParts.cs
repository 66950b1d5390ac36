namespace GaussQuant.Models;

/// <summary>
/// Which networks of an <see cref="Autoencoder"/> are built and loaded. Tokenizing needs only the encoder and
/// decoding tokens only the decoder; leaving the other out saves its weights' memory (about half of the model) and
/// the time to read them. The quantizer is always there: both directions use its codebook.
/// </summary>
[Flags]
public enum ModelParts
{
    Encoder = 1,
    Decoder = 2,
    All = Encoder | Decoder,
}
