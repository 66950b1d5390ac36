namespace GaussQuant.Quantization;

/// <summary>What a quantizer's tokens are: how many per latent position and how many values each can take.</summary>
/// <param name="PerPosition">Tokens per latent position (the <c>n_codebooks</c> axis of the tokens file).</param>
/// <param name="CodebookSize">Values one token can take: K for GQ and VQ, ∏ levels for FSQ, 2^bits for LFQ and BSQ.</param>
public sealed record TokenFormat(int PerPosition, long CodebookSize)
{
    /// <summary>log2 of the codebook size (FSQ's 64000 codes carry 15.97 bits).</summary>
    public double BitsPerToken => Math.Log2(CodebookSize);

    /// <summary>Whether token values can be counted in a histogram (usage, entropy): at most 2^24 of them.</summary>
    public bool IsCountable => CodebookSize <= Codebook.MaxSize;
}
