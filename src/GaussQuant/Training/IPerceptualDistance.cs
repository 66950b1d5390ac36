using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>A perceptual distance between two image batches in [−1, 1] (LPIPS in the reference).</summary>
public interface IPerceptualDistance
{
    /// <summary>One distance per image pair, shape [B, 1, 1, 1]; differentiable with respect to both arguments.</summary>
    Tensor Distance(Tensor images, Tensor reconstructions);
}
