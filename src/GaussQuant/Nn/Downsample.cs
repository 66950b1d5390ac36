using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// Halves H and W: zero-pad one row at the bottom and one column at the right, then a 3×3 stride-2 conv without
/// padding (the authors' asymmetric padding; output side ⌊(side − 2)/2⌋ + 1, i.e. side/2 for even sides).
/// </summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private static readonly long[] RightAndBottom = [0, 1, 0, 1];

    [ComponentName(Name = "conv")]
    private readonly Conv2d conv;

    public Downsample(long channels, Device? device = null) : base(nameof(Downsample))
    {
        conv = nn.Conv2d(channels, channels, kernel_size: 3, stride: 2, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var padded = nn.functional.pad(input, RightAndBottom, PaddingModes.Constant, 0);
        return conv.call(padded);
    }
}
