using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// Where an evaluation saves its reconstructions: <c>DIR/vq/NAME.png</c>, <c>DIR/mean/NAME.png</c>, named after the
/// inputs (<see cref="OutputImageNames.FromInputs"/>), clamped and rounded to 8 bits like every saved image.
/// </summary>
internal sealed class ReconstructionFiles
{
    private readonly string folder;
    private readonly IReadOnlyList<string> names;

    public ReconstructionFiles(string folder, IReadOnlyList<string> inputs, IReadOnlyList<ReconstructionMode> modes)
    {
        this.folder = folder;
        names = OutputImageNames.FromInputs(inputs);
        foreach (var mode in modes)
            Directory.CreateDirectory(Path.Combine(folder, EvaluationPipeline.ModeName(mode)));
    }

    /// <summary>Writes one batch's reconstructions (B, 3, S, S) of the given inputs.</summary>
    public void Write(ReconstructionMode mode, IReadOnlyList<ImageLoadResult> batch, Tensor reconstructions)
    {
        var images = ImageTensors.ToImages(reconstructions);
        for (int item = 0; item < batch.Count; item++)
            ImageEncoder.WritePng(Path.Combine(folder, EvaluationPipeline.ModeName(mode), names[batch[item].Index]), images[item]);
    }
}
