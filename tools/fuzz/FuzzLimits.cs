using GaussQuant.IO;

namespace GaussQuant.Fuzz;

/// <summary>The resource limits fuzzing runs under: small enough that a mutated size meets them within a case's memory bound.</summary>
public static class FuzzLimits
{
    public static ResourceLimits Small { get; } = new()
    {
        MaxImagePixels = 1L << 22,
        MaxModelBytes = 256L << 20,
        MaxActivationBytes = 256L << 20,
    };
}
