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
        Merge(batchCount, batchMean, centred.t().matmul(centred));
    }

    /// <summary>The running state (count, mean, centred scatter matrix), float64, for merging with other ranks' or shards'.</summary>
    public FeatureMoments Moments()
    {
        using var scope = NewDisposeScope();
        return new(Count, mean.cpu().data<double>().ToArray(), scatter.cpu().data<double>().ToArray());
    }

    /// <summary>Adds the features <paramref name="moments"/> describe, as if they had been added one batch after this one's.</summary>
    public void Merge(FeatureMoments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        if (moments.Mean.Length != Dimension || moments.Scatter.Length != (long)Dimension * Dimension)
            throw new InvalidDataException(
                $"feature moments of {moments.Mean.Length} dimensions (scatter of {moments.Scatter.Length} values) cannot join {Dimension}-d features");
        if (moments.Count == 0)
            return;
        using var scope = NewDisposeScope();
        Merge(moments.Count, tensor(moments.Mean, ScalarType.Float64).to(mean.device),
            tensor(moments.Scatter, [Dimension, Dimension], ScalarType.Float64).to(mean.device));
    }

    // Chan et al.: M2 = M2_a + M2_b + δδᵀ · n_a·n_b / n, mean = mean_a + δ · n_b / n.
    private void Merge(long otherCount, Tensor otherMean, Tensor otherScatter)
    {
        long total = Count + otherCount;
        var shift = otherMean - mean;
        scatter.add_(otherScatter).add_(shift.outer(shift), alpha: (double)Count * otherCount / total);
        mean.add_(shift, alpha: (double)otherCount / total);
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
