using System.Collections.Concurrent;

namespace GaussQuant.Imaging;

/// <summary>
/// Reads many image files with several threads, decoding and preprocessing ahead of the consumer, and hands the
/// results back in input order. At most <see cref="Prefetch"/> images wait decoded at any time, so memory stays flat
/// however long the list. An unreadable file (corrupt, truncated, wrong size, missing) becomes a failed
/// <see cref="ImageLoadResult"/> rather than an exception, so callers can skip it or stop.
/// </summary>
public sealed class ImageLoader
{
    /// <param name="preprocessing">What is done to each decoded image.</param>
    /// <param name="workers">Threads decoding at once (default: the processor count).</param>
    /// <param name="prefetch">Images decoded ahead of the consumer at most (default: twice the workers).</param>
    public ImageLoader(ImagePreprocessing preprocessing, int? workers = null, int? prefetch = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        Workers = workers ?? Environment.ProcessorCount;
        Prefetch = prefetch ?? 2 * Workers;
        if (Workers <= 0)
            throw new ArgumentException($"the number of decoding threads must be positive, not {Workers}");
        if (Prefetch <= 0)
            throw new ArgumentException($"the prefetch depth must be positive, not {Prefetch}");
        Preprocessing = preprocessing;
    }

    public ImagePreprocessing Preprocessing { get; }
    public int Workers { get; }
    public int Prefetch { get; }

    /// <summary>Reads one file now, on the calling thread.</summary>
    public ImageLoadResult LoadOne(int index, string path)
    {
        try
        {
            return new ImageLoadResult(index, path, Preprocessing.Apply(ImageDecoder.Decode(path), path), null);
        }
        catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new ImageLoadResult(index, path, null, error.Message);
        }
    }

    /// <summary>
    /// The results for <paramref name="files"/>, in their order, decoded in the background. Stopping the
    /// enumeration early (or cancelling) stops the background work.
    /// </summary>
    public IEnumerable<ImageLoadResult> Load(IReadOnlyList<string> files, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Workers).ConcurrentScheduler;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // The queue holds started loads in input order; its bound is what keeps memory flat.
        using var queue = new BlockingCollection<Task<ImageLoadResult>>(Prefetch);
        var producer = Task.Run(() =>
        {
            try
            {
                for (int index = 0; index < files.Count && !stop.IsCancellationRequested; index++)
                {
                    int item = index;
                    var load = Task.Factory.StartNew(() => LoadOne(item, files[item]), stop.Token,
                        TaskCreationOptions.None, scheduler);
                    queue.Add(load, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        try
        {
            // Waiting with the token: a read can block (a pipe, a stalled network file system), and an interrupted
            // run must still stop promptly and remove its partial outputs.
            foreach (var load in queue.GetConsumingEnumerable(cancellation))
                yield return load.WaitAsync(cancellation).GetAwaiter().GetResult();
        }
        finally
        {
            stop.Cancel();
            producer.GetAwaiter().GetResult();
        }
    }

    /// <summary>The results in consecutive groups of <paramref name="batchSize"/> (the last may be smaller).</summary>
    public IEnumerable<IReadOnlyList<ImageLoadResult>> LoadBatches(IReadOnlyList<string> files, int batchSize,
        CancellationToken cancellation = default)
    {
        if (batchSize <= 0)
            throw new ArgumentException($"the batch size must be positive, not {batchSize}");
        return Load(files, cancellation).Chunk(batchSize);
    }
}
