namespace GaussQuant.Tests;

/// <summary>
/// Rounding-error budgets of float32 arithmetic, for tolerances that hold on every CPU whatever kernel, blocking and
/// summation order LibTorch or oneDNN picks there (AVX2, AVX-512, AMX), instead of tolerances tuned on one machine.
/// </summary>
/// <remarks>
/// Two kinds of budget. The worst-case one is Higham's (Accuracy and Stability of Numerical Algorithms, 2nd ed.,
/// §3.1): a sum or dot product of n terms in any order, with or without fused multiply-adds, is within
/// γₙ = n·u / (1 − n·u) of Σ|xᵢyᵢ|. It is rigorous, but through layers that divide by a batch standard deviation it
/// assumes every error lines up with the worst direction, and comes out orders of magnitude above the output itself.
/// The probabilistic one (Higham and Mary, "A new approach to probabilistic rounding error analysis", SIAM J. Sci.
/// Comput. 41(5), 2019) models each rounding as an independent, mean-zero relative error of at most u: a sum of n
/// terms is then within λ·√n·u·Σ|xᵢyᵢ| except with probability at most 2n·exp(−λ²(1−u)²/2), and errors carried
/// through a network add up as independent variables do. Two float32 evaluations (ours, and PyTorch's on whatever CPU
/// wrote the fixture) are each within the budget of the exact result, so they may differ by √2 of it.
/// </remarks>
internal static class Float32ErrorBound
{
    /// <summary>The unit roundoff of float32, 2⁻²⁴.</summary>
    public const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>
    /// λ of the probabilistic budget: an element exceeds λ standard deviations with probability below 2·10⁻⁹ under a
    /// normal model, and the fixtures compare at most a few thousand elements.
    /// </summary>
    public const double Confidence = 6;

    /// <summary>γₙ: the worst-case relative bound on a float32 sum or dot product of <paramref name="terms"/> terms.</summary>
    public static double Gamma(long terms)
    {
        double nu = terms * UnitRoundoff;
        if (nu >= 0.5)
            throw new ArgumentOutOfRangeException(nameof(terms), terms, "γₙ is only meaningful while n·u is small");
        return nu / (1 - nu);
    }

    /// <summary>√n·u: the standard deviation, relative to Σ|xᵢyᵢ|, of a float32 sum of n terms with random rounding.</summary>
    public static double RandomRounding(long terms) => Math.Sqrt(terms) * UnitRoundoff;

    /// <summary>λ·√n·u: how far one float32 evaluation of sums of n terms may be from the exact result, relatively.</summary>
    public static double OneEvaluation(long terms) => Confidence * RandomRounding(terms);

    /// <summary>√2·λ·√n·u: how far two float32 evaluations (ours, and a fixture's from any CPU) may be apart.</summary>
    public static double TwoEvaluations(long terms) => Math.Sqrt(2) * OneEvaluation(terms);
}
