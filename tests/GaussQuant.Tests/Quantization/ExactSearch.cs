using GaussQuant.Quantization;

namespace GaussQuant.Tests.Quantization;

/// <summary>The reference score evaluated in float64, entry by entry: the ground truth the fast searches are held to.</summary>
internal static class ExactSearch
{
    public static long[] ArgMax(Codebook codebook, float[] means, float[] stds, double beta)
    {
        int dimension = codebook.Dimension;
        int rows = means.Length / dimension;
        var entries = codebook.Entries.Span;
        var indices = new long[rows];
        for (int row = 0; row < rows; row++)
        {
            double best = double.NegativeInfinity;
            for (int j = 0; j < codebook.Size; j++)
            {
                double score = Score(entries.Slice(j * dimension, dimension), means.AsSpan(row * dimension, dimension),
                    stds.AsSpan(row * dimension, dimension), beta);
                if (score > best) { best = score; indices[row] = j; }
            }
        }
        return indices;
    }

    /// <summary>
    /// log N(p; μ, σ) − β·log N(p; 0, 1) summed over the group, without the terms that are the same for every entry
    /// (−log σ and the normalising constants), which cannot change the argmax.
    /// </summary>
    public static double Score(ReadOnlySpan<float> entry, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, double beta)
    {
        double score = 0;
        for (int g = 0; g < entry.Length; g++)
        {
            double p = entry[g], z = (p - mean[g]) / std[g];
            score += -0.5 * z * z + 0.5 * beta * p * p;
        }
        return score;
    }
}
