namespace GaussQuant.Evaluation;

/// <summary>
/// The running state of a <see cref="FeatureStatistics"/>: <see cref="Count"/> vectors, their float64 mean (d) and
/// centred scatter matrix (d × d, row-major), which <see cref="FeatureStatistics.Merge(FeatureMoments)"/> combines
/// exactly (Chan et al.'s pairwise update), not by averaging per-shard covariances.
/// </summary>
public sealed record FeatureMoments(long Count, double[] Mean, double[] Scatter);
