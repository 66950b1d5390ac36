namespace GaussQuant.Evaluation;

/// <summary>Rate of a tokenizer: bits per token (log2 K) and bits per pixel (n_codebooks · log2 K / f²).</summary>
public static class Bitrate
{
    public static double BitsPerToken(long codebookSize)
    {
        if (codebookSize < 1)
            throw new ArgumentOutOfRangeException(nameof(codebookSize), codebookSize, "a codebook needs at least one entry");
        return Math.Log2(codebookSize);
    }

    /// <summary>Bits per image pixel when every f×f pixel block is coded by <paramref name="codebookCount"/> tokens.</summary>
    public static double BitsPerPixel(int codebookCount, long codebookSize, int downsamplingFactor)
    {
        if (codebookCount < 1)
            throw new ArgumentOutOfRangeException(nameof(codebookCount), codebookCount, "there must be at least one codebook per position");
        if (downsamplingFactor < 1)
            throw new ArgumentOutOfRangeException(nameof(downsamplingFactor), downsamplingFactor, "the downsampling factor must be positive");
        return codebookCount * BitsPerToken(codebookSize) / ((double)downsamplingFactor * downsamplingFactor);
    }
}
