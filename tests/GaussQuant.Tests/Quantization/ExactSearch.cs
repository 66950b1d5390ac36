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

    /// <summary>Posteriors like a trained model's: μ ~ N(0, 0.9²)… σ uniform in [0.2, 0.6].</summary>
    public static (float[] Means, float[] Stds) TypicalPosteriors(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var means = new float[rows * dimension];
        var stds = new float[rows * dimension];
        for (int i = 0; i < means.Length; i++)
        {
            means[i] = (float)(0.9 * Gaussian(random));
            stds[i] = (float)(0.2 + 0.4 * random.NextDouble());
        }
        return (means, stds);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
