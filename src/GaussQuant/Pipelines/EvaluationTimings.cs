namespace GaussQuant.Pipelines;

/// <summary>
/// Where an evaluation's wall-clock time went, in seconds. Images are decoded in the background, so
/// <see cref="ImageWaitSeconds"/> is only the time the pipeline waited for them. <see cref="FidSeconds"/> covers the
/// Inception features of originals and reconstructions and the Fréchet distance.
/// </summary>
public sealed record EvaluationTimings(
    double TotalSeconds,
    double NetworkLoadingSeconds,
    double ImageWaitSeconds,
    double EncodeSeconds,
    double DecodeSeconds,
    double PixelMetricsSeconds,
    double LpipsSeconds,
    double FidSeconds,
    double SaveSeconds,
    double ImagesPerSecond);
