using GaussQuant.IO;

namespace GaussQuant.Models;

/// <summary>
/// Estimates the activation memory one inference pass of an encoder or decoder backbone holds at once
/// (<see cref="BackboneOptions.ActivationBytesPerImage"/>), so that a size whose pass cannot fit is refused (or its batch
/// made smaller) before LibTorch is asked for the memory.
/// </summary>
public static class ActivationMemory
{
    /// <summary>Bytes of activations for <paramref name="batch"/> images of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public static double Estimate(BackboneOptions options, long batch, double height, double width)
    {
        ArgumentNullException.ThrowIfNull(options);
        return batch * options.ActivationBytesPerImage(height, width);
    }

    /// <exception cref="InvalidDataException">naming <paramref name="what"/>, the need and the limit, when the pass does not fit.</exception>
    public static void Require(BackboneOptions options, long batch, double height, double width, string what)
    {
        long limit = ResourceLimits.Current.MaxActivationBytes;
        double need = Estimate(options, batch, height, width);
        if (need > limit)
            throw new InvalidDataException(
                $"{what}: running the network on {batch} image(s) of {height}x{width} pixels needs about {ResourceLimits.Describe(need)} " +
                $"of activations, more than the {ResourceLimits.Describe(limit)} allowed ({ResourceLimits.ActivationBytesVariable} raises the limit)");
    }
}
