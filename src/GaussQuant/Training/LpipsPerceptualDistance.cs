using GaussQuant.Evaluation.Networks;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>LPIPS (VGG16, frozen) as the training loss's perceptual term.</summary>
internal sealed class LpipsPerceptualDistance(Lpips network) : IPerceptualDistance, IDisposable
{
    public Tensor Distance(Tensor images, Tensor reconstructions) => network.call(images, reconstructions);

    public void Dispose() => network.Dispose();
}
