using GaussQuant.Training;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>A stand-in for LPIPS: the mean squared difference of each image pair, [B, 1, 1, 1].</summary>
internal sealed class MeanSquaredDistance : IPerceptualDistance
{
    public Tensor Distance(Tensor images, Tensor reconstructions) =>
        (images - reconstructions).pow(2).mean([1, 2, 3], keepdim: true);
}
