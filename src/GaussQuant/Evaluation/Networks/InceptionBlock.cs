using static TorchSharp.torch;

namespace GaussQuant.Evaluation.Networks;

/// <summary>Base of the Inception mixed blocks: registers each branch unit under its torchvision name.</summary>
internal abstract class InceptionBlock : nn.Module<Tensor, Tensor>
{
    protected InceptionBlock(string name) : base(name) { }

    protected InceptionConvolution Unit(string name, long inputChannels, long outputChannels, (long, long) kernel,
        long stride = 1, (long, long) padding = default)
    {
        var unit = new InceptionConvolution(inputChannels, outputChannels, kernel, stride, padding);
        register_module(name, unit);
        return unit;
    }

    protected static (long, long) Square(long side) => (side, side);
}
