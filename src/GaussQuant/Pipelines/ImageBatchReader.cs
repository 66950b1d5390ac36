using GaussQuant.Imaging;
using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>
/// Turns a list of image files into batches of equally sized, preprocessed images, decoded in the background by an
/// <see cref="ImageLoader"/> (bounded prefetch, so memory stays flat however long the list). An input that cannot
/// be read, or (with <c>oneSize</c>) whose size differs from the first image's, stops the run with an
/// <see cref="InvalidDataException"/> naming the file, or, when bad inputs are skipped, is listed in
/// <see cref="Skipped"/> and left out. Without <c>oneSize</c>, a change of size (possible only without resizing)
/// starts a new batch. The batch size is asked of <c>batchSizeFor(width, height)</c> at each batch's first image, so
/// it can follow the image size. Callers write their outputs only after the last batch, so a failure leaves none.
/// </summary>
internal sealed class ImageBatchReader(IReadOnlyList<string> files, ImagePreprocessing preprocessing, Func<int, int, int> batchSizeFor,
    bool skipBad, int? decodeWorkers, bool oneSize)
{
    private readonly List<SkippedInput> skipped = [];

    public IReadOnlyList<SkippedInput> Skipped => skipped;

    /// <summary>Width and height of every image in the batches; null until the first image was read.</summary>
    public (int Width, int Height)? ImageSize { get; private set; }

    public IEnumerable<ImageBatch> Read(CancellationToken cancellation = default)
    {
        var loader = new ImageLoader(preprocessing, decodeWorkers);
        var batchFiles = new List<string>();
        var batchImages = new List<RgbImage>();
        int batchSize = 0;
        int consumed = 0;
        foreach (var result in loader.Load(files, cancellation))
        {
            consumed++;
            string? problem = result.Error ?? (oneSize ? SizeProblem(result.Path, result.Image!) : null);
            if (problem is not null)
            {
                if (!skipBad)
                    throw new InvalidDataException($"{problem}; nothing was written (pass --skip-bad to leave such inputs out)");
                skipped.Add(new SkippedInput(result.Path, WithoutFileName(problem, result.Path)));
                continue;
            }
            var image = result.Image!;
            ImageSize ??= (image.Width, image.Height);
            if (batchImages.Count > 0 && (batchImages[0].Width, batchImages[0].Height) != (image.Width, image.Height))
                yield return TakeBatch(consumed - 1);
            if (batchImages.Count == 0)
                batchSize = batchSizeFor(image.Width, image.Height);
            batchFiles.Add(result.Path);
            batchImages.Add(image);
            if (batchImages.Count == batchSize)
                yield return TakeBatch(consumed);
        }
        if (batchImages.Count > 0)
            yield return TakeBatch(consumed);

        ImageBatch TakeBatch(int consumedSoFar)
        {
            var batch = new ImageBatch(batchFiles, batchImages, consumedSoFar);
            batchFiles = new List<string>(batchSize);
            batchImages = new List<RgbImage>(batchSize);
            return batch;
        }
    }

    /// <summary>The error when no input at all could be used.</summary>
    public InvalidDataException NothingReadable() => skipped.Count == 0
        ? new("the inputs name no image files, so nothing was written")
        : new($"none of the {files.Count} inputs could be used, so nothing was written; first problem: {skipped[0].File}: {skipped[0].Reason}");

    private string? SizeProblem(string path, RgbImage image) =>
        ImageSize is not { } size || (image.Width, image.Height) == size
            ? null
            : $"{path}: {image.Width}x{image.Height} pixels, but the first image is {size.Width}x{size.Height}; a tokens file holds one image size, " +
              "so resize the images (--size) or process each size separately";

    private static string WithoutFileName(string problem, string path) =>
        problem.StartsWith(path + ": ", StringComparison.Ordinal) ? problem[(path.Length + 2)..] : problem;
}
