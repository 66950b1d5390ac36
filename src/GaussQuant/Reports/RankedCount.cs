namespace GaussQuant.Reports;

/// <summary>A point of the sorted usage curve: the entry of rank <see cref="Rank"/> (1 = most used) was chosen <see cref="Count"/> times.</summary>
public readonly record struct RankedCount(long Rank, long Count);
