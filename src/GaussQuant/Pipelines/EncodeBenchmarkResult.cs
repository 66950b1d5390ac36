namespace GaussQuant.Pipelines;

/// <summary>Measured speed of the tokenize path; <see cref="OtherTime"/> is reading images, tensor conversion and writing.</summary>
public sealed record EncodeBenchmarkResult(
    int Images,
    int Size,
    int BatchSize,
    int Threads,
    TimeSpan TotalTime,
    TimeSpan EncoderTime,
    TimeSpan SearchTime,
    long PeakWorkingSetBytes)
{
    public double ImagesPerSecond => Images / TotalTime.TotalSeconds;

    public TimeSpan OtherTime => TotalTime - EncoderTime - SearchTime;
}
