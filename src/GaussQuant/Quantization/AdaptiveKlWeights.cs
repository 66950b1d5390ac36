namespace GaussQuant.Quantization;

/// <summary>
/// The three adaptive weights of the GQ KL term: λ scales the whole term, λmax weighs groups whose KL exceeds the
/// band log2 K ± tolerance, λmin groups below it. Each step multiplies or divides them by the factor depending on
/// the batch's mean, max and min KL (bits per group), which drives every group's KL towards log2 K.
/// Immutable; training keeps the current value and saves it with checkpoints.
/// </summary>
public sealed record AdaptiveKlWeights(double Lambda, double LambdaMin, double LambdaMax)
{
    public static AdaptiveKlWeights Initial { get; } = new(1.0, 1.0, 1.0);

    /// <summary>
    /// The reference's update: λ ×f when the mean KL is above log2 K, else ÷f (never clamped, as in the reference);
    /// λmax ×f when the largest KL is above the band, else ÷f, clamped to [1, upper];
    /// λmin ÷f when the smallest KL is below the band, else ×f, clamped to [lower, 1].
    /// </summary>
    /// <remarks>
    /// For the contiguous variant the reference never lets λmax decrease (its else-branch is a no-op statement); we
    /// apply the same rule as the strided variant, which the authors fixed there.
    /// </remarks>
    public AdaptiveKlWeights Next(KlStatistics bits, double targetBits, double tolerance, double factor, (double Lower, double Upper) range)
    {
        double lambda = bits.Mean > targetBits ? Lambda * factor : Lambda / factor;
        double lambdaMax = bits.Max > targetBits + tolerance ? LambdaMax * factor : LambdaMax / factor;
        double lambdaMin = bits.Min < targetBits - tolerance ? LambdaMin / factor : LambdaMin * factor;
        return new AdaptiveKlWeights(
            lambda,
            Math.Clamp(lambdaMin, range.Lower, 1.0),
            Math.Clamp(lambdaMax, 1.0, range.Upper));
    }
}
