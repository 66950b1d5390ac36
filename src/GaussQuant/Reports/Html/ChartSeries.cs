namespace GaussQuant.Reports.Html;

/// <summary>One line of a chart: its name (the legend's text) and its points in data units.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);
