using static TorchSharp.torch;

namespace GaussQuant.Evaluation;

/// <summary>
/// Streams token indices into one int64 histogram over the codebook's entries per codebook position, for
/// usage fraction, entropy and perplexity (<see cref="Summarize"/>). Tokens are laid out as
/// (batch, n_codebooks, ...), e.g. the (N, n_codebooks, h, w) token files; any device, any integer type.
/// </summary>
public sealed class CodebookUsage
{
    private readonly long[] counts;

    public CodebookUsage(int codebookCount, int codebookSize)
    {
        if (codebookCount < 1)
            throw new ArgumentOutOfRangeException(nameof(codebookCount), codebookCount, "there must be at least one codebook position");
        if (codebookSize < 1)
            throw new ArgumentOutOfRangeException(nameof(codebookSize), codebookSize, "a codebook needs at least one entry");
        CodebookCount = codebookCount;
        CodebookSize = codebookSize;
        counts = new long[(long)codebookCount * codebookSize];
    }

    public int CodebookCount { get; }

    public int CodebookSize { get; }

    public void Add(Tensor indices)
    {
        if (indices.dim() < 2 || indices.shape[1] != CodebookCount)
            throw new ArgumentException(
                $"token indices must be laid out as (batch, {CodebookCount} codebooks, ...); got shape [{string.Join(", ", indices.shape)}]",
                nameof(indices));
        if (indices.is_floating_point() || indices.is_complex() || indices.dtype == ScalarType.Bool)
            throw new ArgumentException($"token indices must be integers; got {indices.dtype}", nameof(indices));
        if (indices.numel() == 0)
            return;

        long[] histogram;
        using (NewDisposeScope())
        {
            var perCodebook = indices.to_type(ScalarType.Int64).transpose(0, 1).reshape(CodebookCount, -1);
            long smallest = perCodebook.min().item<long>(), largest = perCodebook.max().item<long>();
            if (smallest < 0 || largest >= CodebookSize)
                throw new ArgumentException(
                    $"token indices must lie in [0, {CodebookSize}); found values from {smallest} to {largest}", nameof(indices));
            // Offsetting each position's indices by k·K lets one bincount fill all histograms.
            var offsets = arange(CodebookCount, ScalarType.Int64, perCodebook.device).unsqueeze(1) * CodebookSize;
            histogram = (perCodebook + offsets).flatten().bincount(null, counts.Length).cpu().data<long>().ToArray();
        }
        for (long i = 0; i < counts.Length; i++)
            counts[i] += histogram[i];
    }

    /// <summary>A copy of every position's entry counts, position after position (for merging with other ranks' or shards').</summary>
    public long[] Counts() => (long[])counts.Clone();

    /// <summary>Adds counts from <see cref="Counts"/> of another histogram of the same codebook.</summary>
    public void Merge(IReadOnlyList<long> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count != counts.Length)
            throw new InvalidDataException(
                $"{other.Count} codebook counts cannot join the {counts.Length} of {CodebookCount} positions × {CodebookSize} entries");
        for (int i = 0; i < counts.Length; i++)
            counts[i] += other[i];
    }

    /// <summary>A copy of the entry counts of codebook position <paramref name="codebook"/>.</summary>
    public long[] Histogram(int codebook)
    {
        if (codebook < 0 || codebook >= CodebookCount)
            throw new ArgumentOutOfRangeException(nameof(codebook), codebook, $"there are {CodebookCount} codebook positions");
        return counts.AsSpan(codebook * CodebookSize, CodebookSize).ToArray();
    }

    /// <summary>The entry counts summed over the codebook positions (the histogram the pooled statistics describe).</summary>
    public long[] PooledHistogram()
    {
        var pooled = new long[CodebookSize];
        for (int codebook = 0; codebook < CodebookCount; codebook++)
        {
            var histogram = counts.AsSpan(codebook * CodebookSize, CodebookSize);
            for (int entry = 0; entry < CodebookSize; entry++)
                pooled[entry] += histogram[entry];
        }
        return pooled;
    }

    /// <summary>Usage per position and pooled over positions; needs at least one token.</summary>
    public CodebookUsageReport Summarize()
    {
        if (counts.All(count => count == 0))
            throw new InvalidOperationException("no token indices have been added, so codebook usage is undefined");
        var perCodebook = Enumerable.Range(0, CodebookCount)
            .Select(codebook => CodebookUsageStatistics.FromHistogram(counts.AsSpan(codebook * CodebookSize, CodebookSize)))
            .ToList();
        return new CodebookUsageReport(perCodebook, CodebookUsageStatistics.FromHistogram(PooledHistogram()));
    }
}
