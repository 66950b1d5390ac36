using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

public class CodebookUsageTests
{
    [Fact]
    public void HistogramsAndStatisticsMatchHandCounts()
    {
        // Two images, two codebooks, 1×2 positions, codebook size 4.
        // Codebook 0 sees 0,0,1,0 → counts [3,1,0,0]; codebook 1 sees 2,3,2,3 → counts [0,0,2,2].
        using var indices = tensor(new long[] { 0, 0, 2, 3, 1, 0, 2, 3 }, [2, 2, 1, 2]);
        var usage = new CodebookUsage(codebookCount: 2, codebookSize: 4);
        usage.Add(indices);
        Assert.Equal(new long[] { 3, 1, 0, 0 }, usage.Histogram(0));
        Assert.Equal(new long[] { 0, 0, 2, 2 }, usage.Histogram(1));

        var report = usage.Summarize();
        var first = report.PerCodebook[0];
        Assert.Equal(4, first.TokenCount);
        Assert.Equal(2, first.UsedEntries);
        Assert.Equal(0.5, first.UsageFraction);
        double entropy = -(0.75 * Math.Log2(0.75) + 0.25 * Math.Log2(0.25));
        Assert.Equal(entropy, first.EntropyBits, 12);
        Assert.Equal(Math.Pow(2, entropy), first.Perplexity, 12);
        Assert.Equal(1, report.PerCodebook[1].EntropyBits, 12);
        Assert.Equal(2, report.PerCodebook[1].Perplexity, 12);

        // Pooled counts [3,1,2,2] over 8 tokens.
        var pooled = report.Pooled;
        Assert.Equal(8, pooled.TokenCount);
        Assert.Equal(4, pooled.UsedEntries);
        Assert.Equal(1.0, pooled.UsageFraction);
        double pooledEntropy = -new[] { 3, 1, 2, 2 }.Sum(count => count / 8.0 * Math.Log2(count / 8.0));
        Assert.Equal(pooledEntropy, pooled.EntropyBits, 12);
    }

    [Fact]
    public void BatchesAccumulateAndUniformUseReachesLog2K()
    {
        var usage = new CodebookUsage(codebookCount: 1, codebookSize: 256);
        for (int batch = 0; batch < 4; batch++)
        {
            using var indices = arange(batch * 64, (batch + 1) * 64, ScalarType.Int32).view(1, 1, 8, 8);
            usage.Add(indices);
        }
        var statistics = usage.Summarize().PerCodebook[0];
        Assert.Equal(256, statistics.TokenCount);
        Assert.Equal(8, statistics.EntropyBits, 12);
        Assert.Equal(256, statistics.Perplexity, 9);
        Assert.Equal(1.0, statistics.UsageFraction);
    }

    [Fact]
    public void BadIndicesAreRejectedWithoutChangingTheCounts()
    {
        var usage = new CodebookUsage(codebookCount: 2, codebookSize: 4);
        using var outOfRange = tensor(new long[] { 0, 4 }, [1, 2]);
        Assert.Contains("[0, 4)", Assert.Throws<ArgumentException>(() => usage.Add(outOfRange)).Message);
        using var negative = tensor(new long[] { -1, 0 }, [1, 2]);
        Assert.Throws<ArgumentException>(() => usage.Add(negative));
        using var wrongLayout = zeros(1, 3, 2, 2, ScalarType.Int64);
        Assert.Contains("2 codebooks", Assert.Throws<ArgumentException>(() => usage.Add(wrongLayout)).Message);
        using var floating = zeros(1, 2);
        Assert.Throws<ArgumentException>(() => usage.Add(floating));
        Assert.Throws<InvalidOperationException>(() => usage.Summarize());
    }
}
