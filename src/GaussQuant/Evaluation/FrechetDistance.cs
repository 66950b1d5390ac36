using static TorchSharp.torch;

namespace GaussQuant.Evaluation;

/// <summary>
/// Fréchet distance between two Gaussians fitted to features (FID when the features are Inception pool3):
/// ‖μ1 − μ2‖² + tr(Σ1) + tr(Σ2) − 2·tr((Σ1Σ2)^½), in float64.
/// pytorch-fid takes tr(sqrtm(Σ1Σ2)) from SciPy's general matrix square root, which is slow and loses accuracy
/// (complex round-off, an eps retry) when the covariances are singular, as they are with fewer images than
/// dimensions. Here the trace comes from symmetric eigenvalues instead: Σ1Σ2 has the same eigenvalues as the
/// symmetric positive semi-definite Σ1^½ Σ2 Σ1^½, so tr((Σ1Σ2)^½) = Σ sqrt(λᵢ(Σ1^½ Σ2 Σ1^½)). Both agree for
/// PSD inputs; rounding below zero is clipped.
/// </summary>
public static class FrechetDistance
{
    public static double Compute(FeatureStatistics first, FeatureStatistics second)
    {
        if (first.Dimension != second.Dimension)
            throw new ArgumentException($"feature dimensions differ: {first.Dimension} and {second.Dimension}", nameof(second));
        using var scope = NewDisposeScope();
        var mean1 = first.Mean();
        return Compute(mean1, first.Covariance(), second.Mean().to(mean1.device), second.Covariance().to(mean1.device));
    }

    /// <summary>The distance from means (d) and covariances (d, d) of any floating type, on one device.</summary>
    public static double Compute(Tensor mean1, Tensor covariance1, Tensor mean2, Tensor covariance2)
    {
        if (mean1.dim() != 1)
            throw new ArgumentException($"mean1 must be a vector; got shape [{string.Join(", ", mean1.shape)}]", nameof(mean1));
        long dimension = mean1.shape[0];
        foreach (var (tensor, name, shape) in new[]
        {
            (mean1, nameof(mean1), new[] { dimension }), (mean2, nameof(mean2), new[] { dimension }),
            (covariance1, nameof(covariance1), new[] { dimension, dimension }), (covariance2, nameof(covariance2), new[] { dimension, dimension }),
        })
            if (!tensor.shape.SequenceEqual(shape))
                throw new ArgumentException($"{name} must have shape [{string.Join(", ", shape)}]; got [{string.Join(", ", tensor.shape)}]", name);

        using var scope = NewDisposeScope();
        var (m1, m2) = (mean1.to_type(ScalarType.Float64), mean2.to_type(ScalarType.Float64));
        var (s1, s2) = (Symmetrised(covariance1), Symmetrised(covariance2));
        var difference = m1 - m2;
        var (values, vectors) = linalg.eigh(s1);
        var root1 = (vectors * values.clamp_min(0).sqrt()).matmul(vectors.t());
        var inner = Symmetrised(root1.matmul(s2).matmul(root1));
        var traceOfRoot = linalg.eigvalsh(inner).clamp_min(0).sqrt().sum();
        var distance = difference.dot(difference) + s1.trace() + s2.trace() - 2 * traceOfRoot;
        double result = distance.item<double>();
        if (!double.IsFinite(result))
            throw new ArgumentException("the Fréchet distance is not finite: the means or covariances contain NaN or infinite values");
        return result;
    }

    private static Tensor Symmetrised(Tensor matrix)
    {
        var asDouble = matrix.to_type(ScalarType.Float64);
        return (asDouble + asDouble.t()) / 2;
    }
}
