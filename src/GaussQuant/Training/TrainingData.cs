using GaussQuant.Distributed;
using GaussQuant.Imaging;

namespace GaussQuant.Training;

/// <summary>
/// One batch of training images (this rank's rows of the global batch), where it sits in the data order, and the files
/// of it that could not be read.
/// </summary>
internal sealed record TrainingBatch(long Epoch, int Index, IReadOnlyList<RgbImage> Images, IReadOnlyList<ImageLoadResult> Failures);

/// <summary>
/// The training images in a reproducible order: each epoch is a permutation drawn from (seed, epoch), cut into
/// consecutive batches (the last one may be smaller), so a resumed run can start at any (epoch, batch) and see
/// exactly what an uninterrupted run would. Images are decoded ahead of the model on worker threads; augmentation
/// draws from a generator seeded by (seed, epoch, position), so it does not depend on thread timing. In a data-parallel
/// job every rank computes the same order and reads only its rows of each batch (<see cref="ShardRange"/>: contiguous,
/// in rank order); augmentation follows the position in the epoch, so it does not depend on the number of ranks.
/// </summary>
internal sealed class TrainingData
{
    private readonly IReadOnlyList<string> files;
    private readonly int seed;
    private readonly ImageLoader loader;
    private readonly RandomCropFlip? augmentation;
    private readonly int rank;
    private readonly int ranks;

    /// <param name="rank">This process's rank in the job; it reads only its rows of every batch.</param>
    /// <param name="ranks">The job's ranks (1 without a launcher).</param>
    public TrainingData(IReadOnlyList<string> files, int imageSize, int batchSize, int seed, bool randomCrop, bool horizontalFlip, int? workers,
        int rank = 0, int ranks = 1)
    {
        if (files.Count == 0) throw new ArgumentException("there are no training images");
        if (batchSize < 1) throw new ArgumentException($"the batch size must be at least 1, got {batchSize}");
        this.files = files;
        this.seed = seed;
        this.rank = rank;
        this.ranks = ranks;
        BatchSize = batchSize;
        // The authors' transform: shorter side to the image size, centre crop; a random crop replaces the centre crop.
        var preprocessing = randomCrop ? ImagePreprocessing.ResizeShorterSide(imageSize) : ImagePreprocessing.ResizeCenterCrop(imageSize);
        loader = new ImageLoader(preprocessing, workers, prefetch: 2 * batchSize);
        if (randomCrop || horizontalFlip)
            augmentation = new RandomCropFlip(imageSize, horizontalFlip ? 0.5 : 0.0);
    }

    public int Count => files.Count;

    public int BatchSize { get; }

    public int BatchesPerEpoch => (files.Count + BatchSize - 1) / BatchSize;

    /// <summary>Batches from (epoch, batch) on, epoch after epoch, until the caller stops enumerating (which stops the decoding).</summary>
    public IEnumerable<TrainingBatch> From(long epoch, int batch)
    {
        for (; ; epoch++, batch = 0)
        {
            var order = Order(epoch);
            var shares = Enumerable.Range(batch, BatchesPerEpoch - batch).Select(index =>
            {
                int first = index * BatchSize;
                var rows = ShardRange.Of(rank, ranks, Math.Min(BatchSize, order.Count - first));
                return (Index: index, First: first + rows.Start, rows.Length);
            }).ToList();
            var mine = shares.SelectMany(share => order.Skip(share.First).Take(share.Length)).ToList();
            using var results = loader.Load(mine).GetEnumerator();
            foreach (var share in shares)
            {
                var images = new List<RgbImage>(share.Length);
                var failures = new List<ImageLoadResult>();
                for (int row = 0; row < share.Length && results.MoveNext(); row++)
                {
                    var result = results.Current;
                    if (!result.Succeeded) { failures.Add(result); continue; }
                    int position = share.First + row;
                    images.Add(augmentation is null ? result.Image! : augmentation.Apply(result.Image!, new Random(Mix(seed, epoch, position))));
                }
                yield return new TrainingBatch(epoch, share.Index, images, failures);
            }
        }
    }

    /// <summary>The file order of an epoch: a Fisher–Yates shuffle seeded by (seed, epoch).</summary>
    public IReadOnlyList<string> Order(long epoch)
    {
        var order = files.ToArray();
        var random = new Random(Mix(seed, epoch, -1));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>A stable 32-bit seed from three numbers (System.HashCode is randomised per process, so not that).</summary>
    private static int Mix(int seed, long epoch, long position)
    {
        unchecked
        {
            ulong state = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xBF58476D1CE4E5B9UL ^ (ulong)position * 0x94D049BB133111EBUL;
            state ^= state >> 31;
            state *= 0xD6E8FEB86659FD93UL;
            state ^= state >> 32;
            return (int)state;
        }
    }
}
