using GaussQuant.Imaging;
using GaussQuant.Reports;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Reports;

/// <summary>Which images the page selects, fed with batches whose PSNRs are given directly.</summary>
public class EvaluationPageCollectorTests
{
    /// <summary>
    /// Ten images in batches of 4, 4, 2 with PSNRs chosen so that the worst is in the second batch, the best in the
    /// first, and the lower median (rank 4 of 0..9) in the third; 20.0 occurs twice to check that ties go to the earlier image.
    /// </summary>
    private static readonly double[][] Batches = [[25, 31, 20, 27], [12, 22, 20, 29], [21, 30]];

    [Fact]
    public void WorstAndBestAreTheExtremesAndTheMedianIsAskedForFromItsBatch()
    {
        var collector = Feed(thumbnails: 3);
        // Sorted: 12, 20 (image 2), 20 (image 6), 21, 22, 25, 27, 29, 30, 31: rank 4 is 22, image 5, in batch 1 at item 1.
        var median = collector.MedianBatch();
        Assert.NotNull(median);
        Assert.Equal([4, 5, 6, 7], median.Value.InputIndices);
        Assert.Equal(1, median.Value.Item);

        using (var image = full(new long[] { 3, 4, 4 }, 0.5f))
        using (var tokens = zeros(new long[] { 1, 2, 2 }, ScalarType.Int64))
            collector.AddMedian("in/5.png", image, image, tokens, 22, 0.5);
        var page = Build(collector);
        Assert.Equal(["worst", "median", "best"], page.Selections.Select(sample => sample.Role));
        Assert.Equal(["in/4.png", "in/5.png", "in/1.png"], page.Selections.Select(sample => sample.Path));
        Assert.Equal([12.0, 22, 31], page.Selections.Select(sample => sample.Psnr));
        // The lowest three, lowest first; of the two 20s both fit, the earlier image first.
        Assert.Equal(["in/4.png", "in/2.png", "in/6.png"], page.LowestPsnr.Select(thumbnail => thumbnail.Path));
        Assert.Equal(10, page.PsnrDistributions["vq"].Total);
        Assert.Equal("in/5.png", page.TokenMap!.Path);
    }

    [Fact]
    public void AMedianThatIsTheWorstOrBestImageNeedsNoRerun()
    {
        var collector = new EvaluationPageCollector("vq");
        Add(collector, 0, 0, [18, 30]);
        // Two images: the lower median is the worst one, whose pictures are kept already.
        Assert.Null(collector.MedianBatch());
        var page = Build(collector);
        Assert.Equal(["worst", "best"], page.Selections.Select(sample => sample.Role));
    }

    [Fact]
    public void OtherModesFeedTheirDistributionOnly()
    {
        var collector = new EvaluationPageCollector("vq");
        Add(collector, 0, 0, [18, 30, 24, 26], mode: "mean");
        Add(collector, 0, 0, [19, 31, 25, 20]);
        // The vq median (lower of four) is 20, image 3: the mean mode's values play no part in the choice.
        Assert.Equal(3, collector.MedianBatch()!.Value.Item);
        Assert.Throws<InvalidOperationException>(() => Build(collector));
        using (var image = zeros(3, 4, 4))
        using (var tokens = zeros(new long[] { 1, 2, 2 }, ScalarType.Int64))
            collector.AddMedian("in/3.png", image, image, tokens, 20, null);
        var page = Build(collector);
        Assert.Equal(4, page.PsnrDistributions["mean"].Total);
        Assert.Equal([19.0, 20, 31], page.Selections.Select(sample => sample.Psnr));
    }

    private static EvaluationPageCollector Feed(int thumbnails)
    {
        var collector = new EvaluationPageCollector("vq", thumbnails);
        int first = 0;
        for (int batch = 0; batch < Batches.Length; batch++)
        {
            Add(collector, batch, first, Batches[batch]);
            first += Batches[batch].Length;
        }
        return collector;
    }

    private static void Add(EvaluationPageCollector collector, int batch, int firstInput, double[] psnr, string mode = "vq")
    {
        using var scope = NewDisposeScope();
        var inputs = psnr.Select((_, item) => new ImageLoadResult(firstInput + item, $"in/{firstInput + item}.png", null, null)).ToList();
        var originals = zeros(psnr.Length, 3, 4, 4);
        var reconstructions = full(new long[] { psnr.Length, 3, 4, 4 }, 0.25f);
        var indices = zeros(new long[] { psnr.Length, 1, 2, 2 }, ScalarType.Int64);
        collector.Add(mode, batch, inputs, originals, reconstructions, indices, psnr, null);
    }

    private static EvaluationPage Build(EvaluationPageCollector collector) =>
        collector.Build(null!, new ModelSummary("backbone", "quantizer", [1, 2, 2]), null, 16);
}
