using GaussQuant.Imaging;
using GaussQuant.Pipelines;
using static TorchSharp.torch;

namespace GaussQuant.Reports;

/// <summary>
/// Gathers an <see cref="EvaluationPage"/> while the evaluation streams, without holding the images. Worst and best are
/// running extremes, so only the current candidate's pictures are kept (captured when a batch beats it). The median
/// cannot be known until the last image, and keeping every picture "in case" would grow with the run; so every image
/// leaves 24 bytes (<see cref="EvaluatedImage"/>), and once the pass is over the one batch holding the median image is
/// read and run again (<see cref="MedianBatch"/>, <see cref="AddMedian"/>): the same files give the same pixels, and the
/// same batch through the same network gives the same floats, so its pictures and PSNR are the first pass's. That
/// costs one batch, not a second pass. The lowest-PSNR thumbnails are a bounded set likewise.
/// </summary>
internal sealed class EvaluationPageCollector(string mode, int thumbnails = EvaluationPageCollector.DefaultThumbnails)
{
    public const int DefaultThumbnails = 12;
    private const int ThumbnailSide = 64;

    private readonly List<EvaluatedImage> images = [];
    private readonly Dictionary<string, List<double>> psnrByMode = [];
    private readonly SortedDictionary<EvaluatedImage, ImageThumbnail> lowest = [];
    private Captured? worst, best, median;

    /// <summary>A selected image's pictures and tokens (first codebook position, row by row).</summary>
    private sealed record Captured(EvaluatedImage Image, ReconstructionSample Sample, long[] Tokens, int Height, int Width);

    public string Mode { get; } = mode;

    /// <summary>Adds one batch of one mode; <paramref name="ssim"/> is null where SSIM is not computed.</summary>
    public void Add(string batchMode, int batch, IReadOnlyList<ImageLoadResult> inputs, Tensor originals, Tensor reconstructions,
        Tensor indices, IReadOnlyList<double> psnr, IReadOnlyList<double>? ssim)
    {
        if (!psnrByMode.TryGetValue(batchMode, out var values))
            psnrByMode[batchMode] = values = [];
        values.AddRange(psnr);
        if (batchMode != Mode)
            return;
        var added = inputs.Select((input, item) => new EvaluatedImage(images.Count + item, input.Index, batch, psnr[item])).ToList();
        images.AddRange(added);
        var batchWorst = added.Min();
        if (worst is null || batchWorst.CompareTo(worst.Image) < 0)
            worst = Capture("worst", batchWorst, added.IndexOf(batchWorst));
        var batchBest = added.Max();
        if (best is null || batchBest.CompareTo(best.Image) > 0)
            best = Capture("best", batchBest, added.IndexOf(batchBest));
        foreach (var (image, item) in added.Select((image, item) => (image, item)))
        {
            if (lowest.Count == thumbnails && image.CompareTo(lowest.Keys.Last()) >= 0)
                continue;
            lowest[image] = Thumbnail(inputs[item].Path, image, originals[item], reconstructions[item]);
            if (lowest.Count > thumbnails)
                lowest.Remove(lowest.Keys.Last());
        }

        Captured Capture(string role, EvaluatedImage image, int item) =>
            CaptureSample(role, inputs[item].Path, image, originals[item], reconstructions[item], indices[item], psnr[item], ssim?[item]);
    }

    /// <summary>The image of median PSNR (the lower median, by the <see cref="EvaluatedImage"/> order); null before any image.</summary>
    private EvaluatedImage? MedianImage => images.Count == 0 ? null : images.Order().ElementAt((images.Count - 1) / 2);

    /// <summary>
    /// The input indices of the batch to run again for the median's pictures, in their order in that batch, and the
    /// median's place in it; null when the median is the worst or the best image, whose pictures are already kept.
    /// </summary>
    public (IReadOnlyList<int> InputIndices, int Item)? MedianBatch()
    {
        if (MedianImage is not EvaluatedImage image || image == worst!.Image || image == best!.Image)
            return null;
        var members = images.Where(other => other.Batch == image.Batch).ToList();
        return (members.Select(member => member.InputIndex).ToList(), members.FindIndex(member => member == image));
    }

    /// <summary>The median image's pictures from the re-run of its batch (<see cref="MedianBatch"/>); one image [3, H, W] each, tokens [n, h, w].</summary>
    public void AddMedian(string path, Tensor original, Tensor reconstruction, Tensor indices, double psnr, double? ssim) =>
        median = CaptureSample("median", path, MedianImage!.Value, original, reconstruction, indices, psnr, ssim);

    /// <param name="pooledHistogram">The vq tokens' entry counts summed over the codebook positions; null without vq.</param>
    public EvaluationPage Build(EvaluationReport report, ModelSummary model, IReadOnlyList<long>? pooledHistogram, int codebookSize)
    {
        var middle = MedianImage is not EvaluatedImage image ? null
            : image == worst!.Image ? worst with { Sample = worst.Sample with { Role = "median" } }
            : image == best!.Image ? best with { Sample = best.Sample with { Role = "median" } }
            : median ?? throw new InvalidOperationException("the median image's batch has not been run again (AddMedian)");
        Captured[] selected = images.Count switch
        {
            0 => [],
            1 => [worst!],
            2 => [worst!, best!],
            _ => [worst!, middle!, best!],
        };
        return new EvaluationPage
        {
            Report = report,
            Model = model,
            Mode = Mode,
            Selections = selected.Select(captured => captured.Sample).ToList(),
            TokenMap = middle is null ? null : TokenMap.From(middle.Sample.Path, middle.Tokens, middle.Height, middle.Width, codebookSize),
            Usage = pooledHistogram is null ? null : CodebookUsageChart.FromHistogram(pooledHistogram),
            PsnrDistributions = psnrByMode.ToDictionary(pair => pair.Key, pair => Histogram.Of(pair.Value)),
            LowestPsnr = lowest.Values.ToList(),
        };
    }

    private Captured CaptureSample(string role, string path, EvaluatedImage image, Tensor original, Tensor reconstruction, Tensor indices,
        double psnr, double? ssim)
    {
        string name = System.IO.Path.GetFileName(path);
        var sample = new ReconstructionSample(role, path, psnr, ssim,
            EmbeddedImage.Of(ImageTensors.ToImage(original), $"{name}: the original"),
            EmbeddedImage.Of(ImageTensors.ToImage(reconstruction), $"{name}: the {Mode} reconstruction"),
            EmbeddedImage.Of(ErrorHeatMap.From(original, reconstruction), $"{name}: absolute error, brighter is larger"));
        using var firstCodebook = indices[0].to_type(ScalarType.Int64).cpu().contiguous();
        return new Captured(image, sample, firstCodebook.data<long>().ToArray(), (int)indices.shape[1], (int)indices.shape[2]);
    }

    private ImageThumbnail Thumbnail(string path, EvaluatedImage image, Tensor original, Tensor reconstruction)
    {
        string name = System.IO.Path.GetFileName(path);
        return new ImageThumbnail(path, image.Psnr,
            EmbeddedImage.Thumbnail(ImageTensors.ToImage(original), ThumbnailSide, $"{name}: the original"),
            EmbeddedImage.Thumbnail(ImageTensors.ToImage(reconstruction), ThumbnailSide, $"{name}: the {Mode} reconstruction"));
    }
}
