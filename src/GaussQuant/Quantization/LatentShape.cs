namespace GaussQuant.Quantization;

/// <summary>
/// Shape of a latent seen by the quantizer: batch, token grid (Height × Width = Tokens; Height is 1 for the [B, L, c]
/// layout), c channels and the number of codebooks per position (c / d).
/// </summary>
public readonly record struct LatentShape(long Batch, long Height, long Width, int Channels, int Codebooks)
{
    public long Tokens => Height * Width;

    /// <summary>Rows searched: one per (image, position, codebook).</summary>
    public long Rows => Batch * Tokens * Codebooks;
}
