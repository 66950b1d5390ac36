using System.Text;
using static GaussQuant.Reports.Html.Html;

namespace GaussQuant.Reports.Html;

/// <summary>
/// Charts drawn as inline SVG, with no script or library: line charts (linear or log y, an optional shaded band) and
/// bar charts. Colours come from the page's CSS variables, so light and dark mode both apply; each chart is an image
/// for screen readers (<c>role="img"</c>) named by its title and described by a sentence about its data.
/// </summary>
internal static class SvgChart
{
    private const double Width = 480, Height = 250, Left = 56, Right = 22, Top = 10, Bottom = 42;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    public static string Line(string id, string title, string description, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series,
        bool logY = false, ChartBand? band = null, (double Low, double High)? xRange = null)
    {
        var points = series.SelectMany(line => line.Points)
            .Where(point => double.IsFinite(point.X) && double.IsFinite(point.Y) && (!logY || point.Y > 0)).ToList();
        if (points.Count == 0)
            return $"<p class=\"note\">{Encode(title)}: no values to draw.</p>";
        var x = xRange is var (from, to)
            ? ChartAxis.Linear(from, to, exact: true)
            : ChartAxis.Linear(points.Min(point => point.X), points.Max(point => point.X));
        double low = points.Min(point => point.Y), high = points.Max(point => point.Y);
        if (band is not null)
            (low, high) = (Math.Min(low, band.Low), Math.Max(high, band.High));
        // A little room above and below, so a flat line at a round value is not drawn on the frame (not below 0 for data that is not).
        double room = 0.03 * (high - low);
        var y = logY ? ChartAxis.Log(low, high) : ChartAxis.Linear(low >= 0 ? Math.Max(0, low - room) : low - room, high + room);

        var svg = Begin(id, title, description);
        Grid(svg, x, y, xLabel, yLabel);
        if (band is not null)
        {
            double bandTop = Y(y, band.High), bandBottom = Y(y, band.Low);
            svg.Append($"<rect class=\"band\" x=\"{Coordinate(Left)}\" y=\"{Coordinate(bandTop)}\" width=\"{Coordinate(PlotWidth)}\" height=\"{Coordinate(bandBottom - bandTop)}\"/>");
            svg.Append($"<text class=\"band-label\" x=\"{Coordinate(Left + PlotWidth - 4)}\" y=\"{Coordinate(bandTop - 3)}\" text-anchor=\"end\">{Encode(band.Label)}</text>");
        }
        for (int index = 0; index < series.Count; index++)
            foreach (var run in Runs(series[index].Points, logY))
            {
                if (run.Count == 1)
                    svg.Append($"<circle class=\"dot series-{index % 6}\" cx=\"{Coordinate(X(x, run[0].X))}\" cy=\"{Coordinate(Y(y, run[0].Y))}\" r=\"2.5\"/>");
                else
                    svg.Append($"<polyline class=\"line series-{index % 6}\" points=\"{string.Join(" ", run.Select(point => $"{Coordinate(X(x, point.X))},{Coordinate(Y(y, point.Y))}"))}\"/>");
            }
        return End(svg) + Legend(series.Select(line => line.Name).ToList());
    }

    /// <summary>Bars over a numeric x axis: bar i spans [edges[i], edges[i + 1]); <paramref name="markers"/> are dashed lines at named values.</summary>
    public static string Histogram(string id, string title, string description, string xLabel, string yLabel, Histogram histogram,
        IReadOnlyList<(string Label, double Value)>? markers = null)
    {
        if (histogram.Counts.Count == 0)
            return $"<p class=\"note\">{Encode(title)}: no finite values to draw.</p>";
        var x = ChartAxis.Linear(histogram.Start, histogram.End);
        var y = ChartAxis.Linear(0, histogram.Counts.Max());
        var svg = Begin(id, title, description);
        Grid(svg, x, y, xLabel, yLabel);
        for (int bin = 0; bin < histogram.Counts.Count; bin++)
        {
            double from = histogram.Start + bin * histogram.BinWidth, count = histogram.Counts[bin];
            double left = X(x, from), right = X(x, from + histogram.BinWidth), top = Y(y, count);
            svg.Append($"<rect class=\"bar\" x=\"{Coordinate(left + 0.5)}\" y=\"{Coordinate(top)}\" width=\"{Coordinate(Math.Max(0.5, right - left - 1))}\" " +
                       $"height=\"{Coordinate(Top + PlotHeight - top)}\"><title>{Encode($"{Number(from, "0.##")} to {Number(from + histogram.BinWidth, "0.##")}: {count:0}")}</title></rect>");
        }
        var shown = (markers ?? []).Where(marker => double.IsFinite(marker.Value)).ToList();
        for (int index = 0; index < shown.Count; index++)
        {
            double position = X(x, shown[index].Value);
            // Labels alternate between two heights, so neighbouring markers do not write over each other.
            svg.Append($"<line class=\"marker\" x1=\"{Coordinate(position)}\" x2=\"{Coordinate(position)}\" y1=\"{Coordinate(Top)}\" y2=\"{Coordinate(Top + PlotHeight)}\"/>");
            // Near the right edge the label goes to the left of its line, so it stays inside the plot.
            bool leftOfLine = position > Left + 0.75 * PlotWidth;
            svg.Append($"<text class=\"marker-label\" x=\"{Coordinate(leftOfLine ? position - 3 : position + 3)}\" y=\"{Coordinate(Top + 12 + 13 * (index % 2))}\"" +
                       $"{(leftOfLine ? " text-anchor=\"end\"" : "")}>{Encode(shown[index].Label)}</text>");
        }
        return End(svg);
    }

    /// <summary>Bars over named categories, left to right.</summary>
    public static string Bars(string id, string title, string description, string xLabel, string yLabel, IReadOnlyList<(string Label, long Value)> bars, bool logY = false)
    {
        long largest = bars.Count == 0 ? 0 : bars.Max(bar => bar.Value);
        if (largest <= 0)
            return $"<p class=\"note\">{Encode(title)}: nothing to draw.</p>";
        var y = logY ? ChartAxis.Log(1, largest) : ChartAxis.Linear(0, largest);
        var svg = Begin(id, title, description);
        Grid(svg, null, y, xLabel, yLabel);
        double slot = PlotWidth / bars.Count;
        // About 6.5 units per character of an 11-unit label, plus a gap: every bar labelled only when they fit.
        double labelWidth = bars.Max(bar => bar.Label.Length) * 6.5 + 8;
        int labelEvery = Math.Max(1, (int)Math.Ceiling(labelWidth / slot));
        for (int index = 0; index < bars.Count; index++)
        {
            var (label, value) = bars[index];
            double left = Left + index * slot, top = value > 0 ? Y(y, value) : Top + PlotHeight;
            svg.Append($"<rect class=\"bar\" x=\"{Coordinate(left + 1)}\" y=\"{Coordinate(top)}\" width=\"{Coordinate(Math.Max(0.5, slot - 2))}\" " +
                       $"height=\"{Coordinate(Top + PlotHeight - top)}\"><title>{Encode($"{label}: {value:N0}")}</title></rect>");
            if (index % labelEvery == 0)
                svg.Append($"<text class=\"tick\" x=\"{Coordinate(left + slot / 2)}\" y=\"{Coordinate(Top + PlotHeight + 14)}\" text-anchor=\"middle\">{Encode(label)}</text>");
        }
        return End(svg);
    }

    private static StringBuilder Begin(string id, string title, string description) => new StringBuilder()
        .Append($"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">")
        .Append($"<title id=\"{id}-title\">{Encode(title)}</title><desc id=\"{id}-desc\">{Encode(description)}</desc>");

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>Axes, grid lines, tick labels and axis titles; a null x axis has its labels drawn by the caller.</summary>
    private static void Grid(StringBuilder svg, ChartAxis? x, ChartAxis y, string xLabel, string yLabel)
    {
        foreach (double tick in y.Ticks)
        {
            double position = Y(y, tick);
            svg.Append($"<line class=\"grid\" x1=\"{Coordinate(Left)}\" x2=\"{Coordinate(Left + PlotWidth)}\" y1=\"{Coordinate(position)}\" y2=\"{Coordinate(position)}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{Coordinate(Left - 5)}\" y=\"{Coordinate(position + 4)}\" text-anchor=\"end\">{Encode(y.Label(tick))}</text>");
        }
        if (x is not null)
            foreach (double tick in x.Ticks)
            {
                double position = X(x, tick);
                svg.Append($"<line class=\"grid\" x1=\"{Coordinate(position)}\" x2=\"{Coordinate(position)}\" y1=\"{Coordinate(Top)}\" y2=\"{Coordinate(Top + PlotHeight)}\"/>");
                svg.Append($"<text class=\"tick\" x=\"{Coordinate(position)}\" y=\"{Coordinate(Top + PlotHeight + 14)}\" text-anchor=\"middle\">{Encode(x.Label(tick))}</text>");
            }
        svg.Append($"<rect class=\"frame\" x=\"{Coordinate(Left)}\" y=\"{Coordinate(Top)}\" width=\"{Coordinate(PlotWidth)}\" height=\"{Coordinate(PlotHeight)}\"/>");
        svg.Append($"<text class=\"axis-title\" x=\"{Coordinate(Left + PlotWidth / 2)}\" y=\"{Coordinate(Height - 6)}\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        svg.Append($"<text class=\"axis-title\" transform=\"translate(14 {Coordinate(Top + PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{Encode(yLabel)}</text>");
    }

    private static string Legend(IReadOnlyList<string> names) => names.Count < 2 ? ""
        : "<ul class=\"legend\">" + string.Concat(names.Select((name, index) =>
            $"<li><span class=\"swatch series-{index % 6}\" aria-hidden=\"true\"></span>{Encode(name)}</li>")) + "</ul>";

    /// <summary>The drawable stretches of a series: a value that is missing (NaN) or not positive on a log axis breaks the line.</summary>
    private static IEnumerable<List<(double X, double Y)>> Runs(IReadOnlyList<(double X, double Y)> points, bool logY)
    {
        var run = new List<(double X, double Y)>();
        foreach (var point in points)
        {
            if (double.IsFinite(point.X) && double.IsFinite(point.Y) && (!logY || point.Y > 0))
            {
                run.Add(point);
                continue;
            }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    private static double X(ChartAxis axis, double value) => Left + PlotWidth * axis.Fraction(value);

    private static double Y(ChartAxis axis, double value) => Top + PlotHeight * (1 - axis.Fraction(value));
}
