namespace GaussQuant.Evaluation;

/// <summary>Codebook usage per codebook position (index k of the tokens' codebook dimension) and pooled over all positions.</summary>
public sealed record CodebookUsageReport(IReadOnlyList<CodebookUsageStatistics> PerCodebook, CodebookUsageStatistics Pooled);
