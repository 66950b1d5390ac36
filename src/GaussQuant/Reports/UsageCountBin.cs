namespace GaussQuant.Reports;

/// <summary>How many codebook entries were chosen between <see cref="MinimumCount"/> and <see cref="MaximumCount"/> times (inclusive).</summary>
public sealed record UsageCountBin(long MinimumCount, long MaximumCount, long Entries)
{
    public string Label => MinimumCount == MaximumCount ? $"{MinimumCount}" : $"{MinimumCount}–{MaximumCount}";
}
