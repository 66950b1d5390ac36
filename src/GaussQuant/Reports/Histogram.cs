namespace GaussQuant.Reports;

/// <summary>
/// Counts of values in equal-width bins from <see cref="Start"/>: bin i holds [Start + i·width, Start + (i+1)·width),
/// the last bin also its upper edge. Values that are not finite (a PSNR of +∞) are counted in <see cref="NotFinite"/>.
/// </summary>
public sealed record Histogram(double Start, double BinWidth, IReadOnlyList<long> Counts, long NotFinite)
{
    public double End => Start + BinWidth * Counts.Count;

    public long Total => Counts.Sum() + NotFinite;

    /// <summary>
    /// About <paramref name="bins"/> bins over the range of the finite values, with "nice" edges (a width of 1, 2 or 5
    /// times a power of ten, starting on a multiple of it), so the axis labels are round numbers.
    /// </summary>
    public static Histogram Of(IEnumerable<double> values, int bins = 24)
    {
        if (bins < 1)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "a histogram needs at least one bin");
        var finite = new List<double>();
        long notFinite = 0;
        foreach (double value in values)
        {
            if (double.IsFinite(value)) finite.Add(value);
            else notFinite++;
        }
        if (finite.Count == 0)
            return new Histogram(0, 1, [], notFinite);
        double low = finite.Min(), high = finite.Max();
        double width = NiceWidth((high - low) / bins);
        double start = Math.Floor(low / width) * width;
        int count = Math.Max(1, (int)Math.Floor((high - start) / width) + 1);
        var counts = new long[count];
        foreach (double value in finite)
            counts[Math.Min(count - 1, (int)Math.Floor((value - start) / width))]++;
        return new Histogram(start, width, counts, notFinite);
    }

    /// <summary>The smallest of 1, 2, 5 × 10^k at least <paramref name="raw"/> (1 for an empty range).</summary>
    private static double NiceWidth(double raw)
    {
        if (!(raw > 0))
            return 1;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double step in new[] { 1.0, 2.0, 5.0, 10.0 })
            if (step * power >= raw * (1 - 1e-12))
                return step * power;
        return 10 * power;
    }
}
