using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// Where an evaluation saves its reconstructions: <c>DIR/vq/NAME.png</c>, <c>DIR/mean/NAME.png</c>, named after the
/// inputs (<see cref="OutputImageNames.FromInputs"/>), clamped and rounded to 8 bits like every saved image. Each mode's
/// folder is claimed (checked and locked) with every name before the evaluation starts; images are then written one
/// by one as they come, each atomically, since an evaluation over many images should not hold them all back.
/// </summary>
internal sealed class ReconstructionFiles : IDisposable
{
    private readonly string folder;
    private readonly IReadOnlyList<string> names;
    private readonly List<OutputClaim> claims = [];

    public ReconstructionFiles(string folder, IReadOnlyList<string> inputs, IReadOnlyList<ReconstructionMode> modes, bool overwrite)
    {
        this.folder = folder;
        names = OutputImageNames.FromInputs(inputs);
        try
        {
            foreach (var mode in modes)
                claims.Add(OutputClaim.ForFolder(Path.Combine(folder, EvaluationPipeline.ModeName(mode)), names, overwrite));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Writes one batch's reconstructions (B, 3, S, S) of the given inputs.</summary>
    public void Write(ReconstructionMode mode, IReadOnlyList<ImageLoadResult> batch, Tensor reconstructions)
    {
        var images = ImageTensors.ToImages(reconstructions);
        for (int item = 0; item < batch.Count; item++)
            ImageEncoder.WritePng(Path.Combine(folder, EvaluationPipeline.ModeName(mode), names[batch[item].Index]), images[item]);
    }

    public void Keep() => claims.ForEach(claim => claim.Keep());

    public void Dispose() => claims.ForEach(claim => claim.Dispose());
}
