namespace GaussQuant.Evaluation;

/// <summary>
/// How a codebook was used: of <see cref="CodebookSize"/> entries, <see cref="UsedEntries"/> were chosen at
/// least once among <see cref="TokenCount"/> tokens; the entropy (bits) of the empirical distribution over
/// entries and its perplexity 2^entropy (the effective number of entries in use).
/// </summary>
public sealed record CodebookUsageStatistics(
    long TokenCount, long UsedEntries, long CodebookSize, double UsageFraction, double EntropyBits, double Perplexity)
{
    /// <summary>Statistics of one histogram of entry counts (length = codebook size, at least one token).</summary>
    public static CodebookUsageStatistics FromHistogram(ReadOnlySpan<long> histogram)
    {
        long tokens = 0, used = 0;
        foreach (long count in histogram)
        {
            if (count < 0)
                throw new ArgumentException("a histogram count is negative", nameof(histogram));
            tokens += count;
            if (count > 0) used++;
        }
        if (tokens == 0)
            throw new ArgumentException("the histogram is empty: entropy and usage need at least one token", nameof(histogram));

        double entropy = 0;
        foreach (long count in histogram)
        {
            if (count == 0) continue;
            double probability = (double)count / tokens;
            entropy -= probability * Math.Log2(probability);
        }
        return new CodebookUsageStatistics(tokens, used, histogram.Length, (double)used / histogram.Length, entropy, Math.Pow(2, entropy));
    }
}
