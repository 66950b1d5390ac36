namespace GaussQuant.Quantization.Search;

/// <summary>
/// Turns a posterior row (mean μ, std σ per dimension) into the weights of the expanded search score.
/// <para>
/// The reference maximises Σ_g log N(p_g; μ_g, σ_g) − β·log N(p_g; 0, 1). Dropping the terms that do not depend on
/// the codebook entry p leaves Σ_g a_g·p_g² + b_g·p_g with a = (β − 1/σ²)/2 and b = μ/σ², a dot product of
/// w = [a, b] with the packed entry [p², p]. Weights are formed in double and rounded once to float32.
/// </para>
/// </summary>
internal static class SearchWeights
{
    public static void Compute(ReadOnlySpan<float> means, ReadOnlySpan<float> stds, int dimension, double beta, Span<float> weights)
    {
        int rows = means.Length / dimension;
        int features = 2 * dimension;
        for (int row = 0; row < rows; row++)
        {
            for (int g = 0; g < dimension; g++)
            {
                int source = row * dimension + g;
                double mean = means[source], std = stds[source];
                if (!double.IsFinite(mean) || !double.IsFinite(std) || std <= 0)
                    throw new ArgumentException(
                        $"latent row {row}, dimension {g}: mean {mean} and std {std} must be finite with std > 0 (NaN or infinite latents reached the quantizer)");
                double precision = 1.0 / (std * std);
                weights[row * features + g] = (float)((beta - precision) * 0.5);
                weights[row * features + dimension + g] = (float)(mean * precision);
            }
        }
    }
}
