using static TorchSharp.torch;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// LPIPS's input normalisation for images in [-1, 1]: (x − shift) / scale per channel, the ImageNet
/// statistics expressed on that range. Buffers <c>shift</c> and <c>scale</c>, (1, 3, 1, 1).
/// </summary>
internal sealed class LpipsScalingLayer : nn.Module<Tensor, Tensor>
{
    private readonly Tensor shift;
    private readonly Tensor scale;

    public LpipsScalingLayer() : base("ScalingLayer")
    {
        shift = tensor(new float[] { -0.030f, -0.088f, -0.188f }, [1, 3, 1, 1]);
        scale = tensor(new float[] { 0.458f, 0.448f, 0.450f }, [1, 3, 1, 1]);
        register_buffer("shift", shift);
        register_buffer("scale", scale);
    }

    public override Tensor forward(Tensor input) => (input - shift) / scale;
}
