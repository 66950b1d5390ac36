namespace GaussQuant.Reports.Html;

/// <summary>A shaded horizontal band of a chart, [<see cref="Low"/>, <see cref="High"/>] in data units, e.g. log2 K ± the KL tolerance.</summary>
public sealed record ChartBand(double Low, double High, string Label);
