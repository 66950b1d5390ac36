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
        // While the consumer holds the first result, the loader may fill its queue (the prefetch depth) and start
        // one more load, which waits to be queued: no file past index 1 + prefetch is read. Counting the files read
        // instead of measuring the heap keeps the test independent of the garbage collector; a slow machine can
        // only make it wait longer, never fail it.
        const int prefetch = 4;
        var files = new ReadCountingList(Enumerable.Repeat(ImagingFixtures.Path("rgb.png"), 400).ToList());
        var loader = new ImageLoader(ImagePreprocessing.ResizeCenterCrop(256), workers: 2, prefetch: prefetch);
        int count = 0;
        foreach (var result in loader.Load(files))
        {
            Assert.True(result.Succeeded);
            if (count++ == 0)
            {
                Assert.True(SpinWait.SpinUntil(() => files.HighestIndexRead >= prefetch, TimeSpan.FromMinutes(1)),
                    "the loader did not read ahead at all");
                Thread.Sleep(200); // room to run further ahead, if it would
                Assert.InRange(files.HighestIndexRead, prefetch, 1 + prefetch);
            }
        }
        Assert.Equal(400, count);
    }

    /// <summary>A list that remembers the highest index read from it.</summary>
    private sealed class ReadCountingList(IReadOnlyList<string> items) : IReadOnlyList<string>
    {
        private int highest = -1;

        public int HighestIndexRead => Volatile.Read(ref highest);

        public string this[int index]
        {
            get
            {
                int seen;
                while (index > (seen = Volatile.Read(ref highest)) && Interlocked.CompareExchange(ref highest, index, seen) != seen)
                {
                }
                return items[index];
            }
        }

        public int Count => items.Count;

        public IEnumerator<string> GetEnumerator()
        {
            for (int index = 0; index < Count; index++)
                yield return this[index];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
