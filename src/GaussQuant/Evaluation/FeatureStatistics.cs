using static TorchSharp.torch;

namespace GaussQuant.Evaluation;

/// <summary>
/// Streams feature vectors (e.g. 2048-d Inception pool3 features) into their mean and covariance in float64,
/// with O(d²) memory whatever the number of images. Each batch's own mean and centred scatter matrix (one
/// GEMM) are merged into the running ones with Chan et al.'s pairwise update, which stays accurate when the
/// features sit far from the origin. The covariance has numpy.cov's normalisation (N − 1).
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    private readonly Tensor mean;
    private readonly Tensor scatter;

    /// <param name="dimension">Length of every feature vector.</param>
    /// <param name="device">Where the float64 accumulators live (cpu by default); features are moved there.</param>
    public FeatureStatistics(int dimension, Device? device = null)
    {
        if (dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "features need at least one dimension");
        Dimension = dimension;
        mean = zeros(dimension, ScalarType.Float64, device ?? CPU);
        scatter = zeros(dimension, dimension, ScalarType.Float64, device ?? CPU);
    }

    public int Dimension { get; }

    /// <summary>Number of feature vectors added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a (N, <see cref="Dimension"/>) batch of finite features, any floating type and device.</summary>
    public void Add(Tensor features)
    {
        if (features.dim() != 2 || features.shape[1] != Dimension)
            throw new ArgumentException(
                $"features must be a (count, {Dimension}) tensor; got shape [{string.Join(", ", features.shape)}]", nameof(features));
        if (!features.is_floating_point())
            throw new ArgumentException($"features must be floating-point; got {features.dtype}", nameof(features));
        long batchCount = features.shape[0];
        if (batchCount == 0)
            return;
        using var scope = NewDisposeScope();
        var batch = features.to(ScalarType.Float64, mean.device);
        using (var finite = isfinite(batch).all())
            if (!finite.item<bool>())
                throw new ArgumentException("features contain NaN or infinite values", nameof(features));

        var batchMean = batch.mean([0]);
        var centred = batch - batchMean;
        var batchScatter = centred.t().matmul(centred);
        long total = Count + batchCount;
        var shift = batchMean - mean;
        // Chan et al.: M2 = M2_a + M2_b + δδᵀ · n_a·n_b / n, mean = mean_a + δ · n_b / n.
        scatter.add_(batchScatter).add_(shift.outer(shift), alpha: (double)Count * batchCount / total);
        mean.add_(shift, alpha: (double)batchCount / total);
        Count = total;
    }

    /// <summary>A copy of the mean, float64 (d), on the accumulators' device.</summary>
    public Tensor Mean()
    {
        RequireCount(1);
        return mean.clone();
    }

    /// <summary>The sample covariance (N − 1), float64 (d, d), on the accumulators' device; needs two or more vectors.</summary>
    public Tensor Covariance()
    {
        RequireCount(2);
        return scatter / (Count - 1);
    }

    public void Dispose()
    {
        mean.Dispose();
        scatter.Dispose();
    }

    private void RequireCount(long needed)
    {
        if (Count < needed)
            throw new InvalidOperationException($"feature statistics need at least {needed} feature vectors; {Count} were added");
    }
}
