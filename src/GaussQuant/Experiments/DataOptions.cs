namespace GaussQuant.Experiments;

/// <summary>
/// The training data (<c>pit.data.ImageDataModuleFromConfig</c> with a <c>pit.data.SimpleDataset</c>): images
/// under <see cref="TrainRoot"/> (or listed in it when it ends in .txt), resized on the short side and
/// center-cropped to <see cref="ImageSize"/>.
/// </summary>
public sealed record DataOptions
{
    /// <summary>Images per optimisation step on one device (<c>batch_size</c>).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Parallel image decoders (<c>num_workers</c>).</summary>
    public int WorkerCount { get; init; } = 16;

    /// <summary>Training images: a folder searched recursively, or a .txt file with one path per line (<c>train.params.root</c>).</summary>
    public string? TrainRoot { get; init; }

    /// <summary>Side of the square training crops (<c>train.params.image_size</c>).</summary>
    public int? ImageSize { get; init; }
}
