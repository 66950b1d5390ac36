using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class ImageLoaderTests
{
    private static readonly string[] Pictures = ["rgb.png", "baseline.jpg", "lossy.webp", "rgb.bmp", "gray.png", "rgba.png"];

    [Fact]
    public void ReturnsResultsInInputOrderWhateverFinishesFirst()
    {
        var files = Enumerable.Range(0, 60).Select(index => ImagingFixtures.Path(Pictures[index % Pictures.Length])).ToList();
        var loader = new ImageLoader(ImagePreprocessing.ResizeCenterCrop(16), workers: 4, prefetch: 3);
        var results = loader.Load(files).ToList();
        Assert.Equal(Enumerable.Range(0, 60), results.Select(result => result.Index));
        Assert.Equal(files, results.Select(result => result.Path));
        for (int index = 0; index < Pictures.Length; index++)
        {
            var expected = ImagePreprocessing.ResizeCenterCrop(16).Apply(ImagingFixtures.Decode(Pictures[index]), Pictures[index]);
            Assert.Equal(expected.Pixels, results[index].Image!.Pixels);
        }
    }

    [Fact]
    public void ReportsBadFilesAsFailedResults()
    {
        string[] files = [ImagingFixtures.Path("rgb.png"), ImagingFixtures.Path("truncated.jpg"), ImagingFixtures.Path("missing.png"), ImagingFixtures.Path("gray.png")];
        var results = new ImageLoader(ImagePreprocessing.None(1), workers: 2).Load(files).ToList();
        Assert.Equal(new[] { true, false, false, true }, results.Select(result => result.Succeeded));
        Assert.Contains("truncated.jpg", results[1].Error);
        Assert.Contains("missing.png", results[2].Error);
        Assert.Null(results[1].Image);
    }

    [Fact]
    public void ReportsImagesOfTheWrongSizeAsFailedResults()
    {
        var result = new ImageLoader(ImagePreprocessing.None(8)).Load([ImagingFixtures.Path("rgb.png")]).Single();
        Assert.False(result.Succeeded);
        Assert.Contains("multiples of 8", result.Error);
    }

    [Fact]
    public void GroupsResultsIntoBatches()
    {
        var files = Enumerable.Repeat(ImagingFixtures.Path("rgb.png"), 7).ToList();
        var batches = new ImageLoader(ImagePreprocessing.Stretch(8), workers: 2).LoadBatches(files, 3).ToList();
        Assert.Equal(new[] { 3, 3, 1 }, batches.Select(batch => batch.Count));
        Assert.Equal(Enumerable.Range(0, 7), batches.SelectMany(batch => batch).Select(result => result.Index));
    }

    [Fact]
    public void StopsWhenTheConsumerStops()
    {
        var files = Enumerable.Repeat(ImagingFixtures.Path("rgb.png"), 10_000).ToList();
        var taken = new ImageLoader(ImagePreprocessing.None(1), workers: 2, prefetch: 2).Load(files).Take(3).ToList();
        Assert.Equal(3, taken.Count);
    }

    [Fact]
    public void DecodesOnlyALittleAheadOfASlowConsumer()
    {
        // Each result is a 256x256 picture (192 KiB). While the consumer pauses, an unbounded loader would decode
        // hundreds of them; this one may hold its prefetch depth plus the images in flight.
        var files = Enumerable.Repeat(ImagingFixtures.Path("rgb.png"), 400).ToList();
        var loader = new ImageLoader(ImagePreprocessing.ResizeCenterCrop(256), workers: 2, prefetch: 4);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        int count = 0;
        foreach (var result in loader.Load(files))
        {
            Assert.True(result.Succeeded);
            if (count++ == 0)
            {
                Thread.Sleep(1000);
                long growth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
                Assert.True(growth < 8L << 20, $"the loader ran ahead: the managed heap grew by {growth >> 20} MiB during a pause");
            }
        }
        Assert.Equal(400, count);
    }
}
