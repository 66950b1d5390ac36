using System.Globalization;

namespace GaussQuant.Reports.Html;

/// <summary>
/// A chart axis: the data range it spans and its tick values. Linear axes get 1-2-5 steps with round ends; log axes
/// (positive data only) span whole decades, one tick per decade.
/// </summary>
internal sealed record ChartAxis(double Low, double High, IReadOnlyList<double> Ticks, bool Logarithmic)
{
    /// <param name="exact">Span exactly [low, high] with the round ticks inside it (e.g. ranks 1 to K), instead of widening to round ends.</param>
    public static ChartAxis Linear(double low, double high, int targetTicks = 5, bool exact = false)
    {
        if (!(high > low))
            (low, high) = (low - 0.5 * Math.Max(1, Math.Abs(low)), high + 0.5 * Math.Max(1, Math.Abs(high)));
        double step = NiceStep((high - low) / targetTicks);
        double first = Math.Floor(low / step) * step, last = Math.Ceiling(high / step) * step;
        var ticks = new List<double>();
        for (double tick = first; tick <= last + step / 2; tick += step)
        {
            double rounded = Math.Round(tick / step) * step;
            if (rounded == 0)
                rounded = 0;   // −0 (from a negative start) would be labelled "-0"
            if (!exact || (rounded >= low && rounded <= high))
                ticks.Add(rounded);
        }
        return exact ? new ChartAxis(low, high, ticks, false) : new ChartAxis(first, last, ticks, false);
    }

    public static ChartAxis Log(double low, double high)
    {
        int first = (int)Math.Floor(Math.Log10(low)), last = (int)Math.Ceiling(Math.Log10(high));
        if (last == first) last++;
        var ticks = Enumerable.Range(first, last - first + 1).Select(power => Math.Pow(10, power)).ToList();
        return new ChartAxis(ticks[0], ticks[^1], ticks, true);
    }

    /// <summary>Where a value lies along the axis, 0 at <see cref="Low"/> to 1 at <see cref="High"/>.</summary>
    public double Fraction(double value) => Logarithmic
        ? (Math.Log10(value) - Math.Log10(Low)) / (Math.Log10(High) - Math.Log10(Low))
        : (value - Low) / (High - Low);

    public string Label(double tick)
    {
        if (Logarithmic)
            return tick >= 1e4 || tick < 1e-2 ? $"1e{Math.Log10(tick):0}" : tick.ToString("0.##", CultureInfo.InvariantCulture);
        double span = Math.Abs(High - Low);
        string format = span >= 20 ? "0" : span >= 2 ? "0.#" : span >= 0.2 ? "0.##" : "0.####";
        return Math.Abs(tick) >= 1e5 ? tick.ToString("0.#e0", CultureInfo.InvariantCulture) : tick.ToString(format, CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double step in new[] { 1.0, 2.0, 5.0 })
            if (step * power >= raw)
                return step * power;
        return 10 * power;
    }
}
