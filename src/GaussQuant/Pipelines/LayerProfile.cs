namespace GaussQuant.Pipelines;

/// <summary>
/// One kind of layer in a profiled network pass: how often it ran, its own wall and CPU time (children excluded) and its
/// arithmetic (a multiply-add counts as two flops; zero for layers whose cost is memory traffic, not arithmetic).
/// </summary>
public sealed record LayerProfile(string Part, string Kind, int Calls, double Seconds, double CpuSeconds, double Flops)
{
    public double GigaflopsPerSecond => Seconds > 0 ? Flops / Seconds / 1e9 : 0;

    /// <summary>Flops per second of CPU time (all threads together).</summary>
    public double GigaflopsPerCpuSecond => CpuSeconds > 0 ? Flops / CpuSeconds / 1e9 : 0;
}
