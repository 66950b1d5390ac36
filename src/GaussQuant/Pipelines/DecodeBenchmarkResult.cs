namespace GaussQuant.Pipelines;

/// <summary>Measured speed of the decode path: reading tokens, dequantizing, the decoder, PNG encoding and writing.</summary>
public sealed record DecodeBenchmarkResult(int Images, int Size, int BatchSize, int Threads, TimeSpan TotalTime, long PeakWorkingSetBytes)
{
    public double ImagesPerSecond => Images / TotalTime.TotalSeconds;
}
