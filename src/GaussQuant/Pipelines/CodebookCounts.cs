namespace GaussQuant.Pipelines;

/// <summary>The token histograms of <see cref="Evaluation.CodebookUsage.Counts"/>: <see cref="CodebookCount"/> positions × <see cref="CodebookSize"/> entries.</summary>
public sealed record CodebookCounts(int CodebookCount, int CodebookSize, long[] Counts);
