using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>The workload of <see cref="EncodeBenchmark"/>.</summary>
public sealed record EncodeBenchmarkOptions
{
    /// <summary>Images per model call.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Images tokenized in the timed run.</summary>
    public int Images { get; init; } = 64;

    /// <summary>Side of the square images the model sees (the files are 4:3 photos-sized, resized and cropped to it).</summary>
    public int Size { get; init; } = 256;

    public InferencePrecision Precision { get; init; } = InferencePrecision.Fp32;

    public Device? Device { get; init; }
}
