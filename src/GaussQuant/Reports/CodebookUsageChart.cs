using GaussQuant.Evaluation;

namespace GaussQuant.Reports;

/// <summary>
/// What the page shows of the codebook's use, from the pooled token histogram: the statistics the JSON report states
/// (computed by the same <see cref="CodebookUsageStatistics.FromHistogram"/>), the usage curve (entries sorted by how
/// often they were chosen, at most <see cref="CurvePoints"/> points of it, always keeping the first and the last used
/// rank), and a histogram of the counts in power-of-two bins (0, 1, 2–3, 4–7, …), which suits their heavy tail.
/// </summary>
public sealed record CodebookUsageChart(
    CodebookUsageStatistics Statistics, IReadOnlyList<RankedCount> Curve, IReadOnlyList<UsageCountBin> CountBins)
{
    public const int CurvePoints = 600;

    public long UnusedEntries => Statistics.CodebookSize - Statistics.UsedEntries;

    /// <summary>log2 K: the entropy of a codebook used uniformly.</summary>
    public double MaximumEntropyBits => Math.Log2(Statistics.CodebookSize);

    public static CodebookUsageChart FromHistogram(IReadOnlyList<long> histogram)
    {
        var statistics = CodebookUsageStatistics.FromHistogram(histogram.ToArray());
        var sorted = histogram.OrderDescending().ToArray();
        return new CodebookUsageChart(statistics, SampleCurve(sorted, statistics.UsedEntries), Bins(sorted));
    }

    private static List<RankedCount> SampleCurve(long[] sorted, long used)
    {
        var ranks = new SortedSet<long> { 1, Math.Max(1, used) };
        long step = Math.Max(1, (sorted.LongLength + CurvePoints - 1) / CurvePoints);
        for (long rank = 1; rank <= sorted.LongLength; rank += step)
            ranks.Add(rank);
        ranks.Add(sorted.LongLength);
        return ranks.Select(rank => new RankedCount(rank, sorted[rank - 1])).ToList();
    }

    private static List<UsageCountBin> Bins(long[] sorted)
    {
        long largest = sorted[0];
        var bins = new List<UsageCountBin> { new(0, 0, sorted.LongCount(count => count == 0)) };
        for (long low = 1; low <= largest; low *= 2)
        {
            long high = 2 * low - 1;
            bins.Add(new UsageCountBin(low, high, sorted.LongCount(count => count >= low && count <= high)));
        }
        return bins;
    }
}
