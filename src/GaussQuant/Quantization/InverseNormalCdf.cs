using System.Runtime.CompilerServices;

namespace GaussQuant.Quantization;

/// <summary>
/// The standard normal quantile function Φ⁻¹(p) in double precision, computed exactly as Cephes <c>ndtri</c>
/// (Moshier, 1989), which is what SciPy's <c>scipy.special.ndtri</c> and <c>scipy.stats.norm.ppf</c> evaluate.
/// The codebook must match the authors' SciPy-built one bit for bit, so the rational approximations, their
/// coefficients and the order of every floating-point operation follow Cephes; a more accurate algorithm would
/// round some entries differently.
/// </summary>
internal static class InverseNormalCdf
{
    private const double SqrtTwoPi = 2.50662827463100050242E0;

    /// <summary>exp(-2): below it (or above 1 - exp(-2)) the tail approximations take over.</summary>
    private const double TailStart = 0.13533528323661269189;

    // Central region |p - 0.5| <= 3/8: x / sqrt(2π) = w + w³ R(w²) / S(w²), w = p - 0.5.
    private static ReadOnlySpan<double> CentralNumerator =>
    [
        -5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
        1.39312609387279679503E1, -1.23916583867381258016E0,
    ];

    private static ReadOnlySpan<double> CentralDenominator =>
    [
        1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
        -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
        1.59056225126211695515E1, -1.18331621121330003142E0,
    ];

    // Tail with t = sqrt(-2 ln p) in [2, 8): x = t - ln(t)/t - (1/t) P(1/t) / Q(1/t).
    private static ReadOnlySpan<double> NearTailNumerator =>
    [
        4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
        4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
        -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4,
    ];

    private static ReadOnlySpan<double> NearTailDenominator =>
    [
        1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
        1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
        -3.80806407691578277194E-2, -9.33259480895457427372E-4,
    ];

    // Tail with t >= 8, i.e. p < exp(-32).
    private static ReadOnlySpan<double> FarTailNumerator =>
    [
        3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
        1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
        3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9,
    ];

    private static ReadOnlySpan<double> FarTailDenominator =>
    [
        6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
        2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
        2.89247864745380683936E-6, 6.79019408009981274425E-9,
    ];

    /// <summary>Φ⁻¹(p): -∞ at 0, +∞ at 1, NaN outside [0, 1] or for NaN.</summary>
    // A codebook evaluates this millions of times in one burst, before tiered JIT would promote it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Evaluate(double probability)
    {
        if (probability == 0.0)
            return double.NegativeInfinity;
        if (probability == 1.0)
            return double.PositiveInfinity;
        if (!(probability > 0.0 && probability < 1.0))
            return double.NaN;

        bool upperTail = probability > 1.0 - TailStart;
        double tail = upperTail ? 1.0 - probability : probability;
        if (tail > TailStart)
        {
            double w = tail - 0.5;
            double wSquared = w * w;
            double x = w + w * (wSquared * Polynomial(wSquared, CentralNumerator) / MonicPolynomial(wSquared, CentralDenominator));
            return x * SqrtTwoPi;
        }

        double t = Math.Sqrt(-2.0 * Math.Log(tail));
        double leading = t - Math.Log(t) / t;
        double inverse = 1.0 / t;
        double correction = t < 8.0
            ? inverse * Polynomial(inverse, NearTailNumerator) / MonicPolynomial(inverse, NearTailDenominator)
            : inverse * Polynomial(inverse, FarTailNumerator) / MonicPolynomial(inverse, FarTailDenominator);
        double quantile = leading - correction;
        return upperTail ? quantile : -quantile;
    }

    /// <summary>Horner's rule, coefficients from the highest power down (Cephes <c>polevl</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Polynomial(double x, ReadOnlySpan<double> coefficients)
    {
        double sum = coefficients[0];
        for (int i = 1; i < coefficients.Length; i++)
            sum = sum * x + coefficients[i];
        return sum;
    }

    /// <summary>Horner's rule with an implied leading coefficient 1 (Cephes <c>p1evl</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double MonicPolynomial(double x, ReadOnlySpan<double> coefficients)
    {
        double sum = x + coefficients[0];
        for (int i = 1; i < coefficients.Length; i++)
            sum = sum * x + coefficients[i];
        return sum;
    }
}
