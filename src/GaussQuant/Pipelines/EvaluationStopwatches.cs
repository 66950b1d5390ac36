using System.Diagnostics;

namespace GaussQuant.Pipelines;

/// <summary>One stopwatch per stage of an evaluation, summed over the batches (see <see cref="EvaluationTimings"/>).</summary>
internal sealed class EvaluationStopwatches
{
    private readonly Stopwatch total = Stopwatch.StartNew();

    public Stopwatch NetworkLoading { get; } = new();
    public Stopwatch ImageWait { get; } = new();
    public Stopwatch Encode { get; } = new();
    public Stopwatch Decode { get; } = new();
    public Stopwatch PixelMetrics { get; } = new();
    public Stopwatch Lpips { get; } = new();
    public Stopwatch Fid { get; } = new();
    public Stopwatch Save { get; } = new();

    public static T Time<T>(Stopwatch stopwatch, Func<T> body)
    {
        stopwatch.Start();
        try { return body(); }
        finally { stopwatch.Stop(); }
    }

    public static void Time(Stopwatch stopwatch, Action body)
    {
        stopwatch.Start();
        try { body(); }
        finally { stopwatch.Stop(); }
    }

    public EvaluationTimings ToTimings(int images)
    {
        double totalSeconds = total.Elapsed.TotalSeconds;
        return new EvaluationTimings(totalSeconds, NetworkLoading.Elapsed.TotalSeconds, ImageWait.Elapsed.TotalSeconds,
            Encode.Elapsed.TotalSeconds, Decode.Elapsed.TotalSeconds, PixelMetrics.Elapsed.TotalSeconds, Lpips.Elapsed.TotalSeconds,
            Fid.Elapsed.TotalSeconds, Save.Elapsed.TotalSeconds, totalSeconds > 0 ? images / totalSeconds : 0);
    }
}
