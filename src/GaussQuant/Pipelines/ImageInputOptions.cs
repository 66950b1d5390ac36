using GaussQuant.Imaging;
using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>Which images a pipeline reads and how it brings them to the model (the CLI's <c>INPUT... [--size S | --no-resize]</c>).</summary>
public sealed record ImageInputOptions
{
    /// <summary>Image files, folders (searched recursively) and .txt lists, expanded by <see cref="ImageInputs.Expand"/>.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Resize the shorter side to this and center-crop a square; null: the config's resolution.</summary>
    public int? Size { get; init; }

    /// <summary>Feed the images as they are (both sides must be multiples of the model's downsampling factor).</summary>
    public bool NoResize { get; init; }

    /// <summary>Images per model call; null: as many as fit the memory budget at the image size (<see cref="DefaultBatchSize"/>).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Leave unreadable images out (and list them) instead of failing on the first one.</summary>
    public bool SkipBad { get; init; }

    /// <summary>Threads decoding images (default: the processor count).</summary>
    public int? DecodeWorkers { get; init; }

    /// <summary>The batch for images of a given width and height: <see cref="BatchSize"/>, else the model's default at that size.</summary>
    public Func<int, int, int> BatchSizeFor(Autoencoder model) =>
        (width, height) => BatchSize ?? DefaultBatchSize.For(model, width, height);

    /// <summary>
    /// The preprocessing these options ask of <paramref name="model"/>: the authors' evaluation transform (shorter
    /// side to S, center crop S×S) or, with <see cref="NoResize"/>, the images as they are.
    /// </summary>
    /// <exception cref="ArgumentException">when the options contradict each other or do not fit the model.</exception>
    public ImagePreprocessing PreprocessingFor(Autoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (BatchSize is <= 0)
            throw new ArgumentException($"the batch size must be positive, not {BatchSize}");
        var backbone = model.EncoderOptions;
        if (NoResize)
            return Size is null
                ? ImagePreprocessing.None(backbone.DownsamplingFactor, backbone.FixedImageSize)
                : throw new ArgumentException("--size and --no-resize exclude each other: resize the images to S, or use them as they are");
        int size = Size ?? backbone.NominalImageSize;
        if (backbone.ProblemWithImageSize(size, size) is { } problem)
            throw new ArgumentException($"the image size {size} does not fit the model: {problem}");
        return ImagePreprocessing.ResizeCenterCrop(size);
    }
}
