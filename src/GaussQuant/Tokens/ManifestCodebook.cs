namespace GaussQuant.Tokens;

/// <summary>The codebook tokens index into: <see cref="Size"/> quasi-random N(0, I) vectors of <see cref="Dim"/> values.</summary>
/// <param name="Dim">Values per codebook vector (the latent channels one token stands for).</param>
/// <param name="Size">Number of codebook vectors K (token values run from 0 to K − 1).</param>
/// <param name="Seed">The seed the codebook was generated with.</param>
/// <param name="Beta">The prior weight β used when choosing tokens.</param>
public sealed record ManifestCodebook(int Dim, int Size, long Seed, double Beta);
