using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>Doubles H and W: nearest-neighbour ×2 (each pixel repeated 2×2), then a 3×3 conv.</summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private static readonly double[] Twice = [2.0, 2.0];

    [ComponentName(Name = "conv")]
    private readonly Conv2d conv;

    public Upsample(long channels, Device? device = null) : base(nameof(Upsample))
    {
        conv = nn.Conv2d(channels, channels, kernel_size: 3, padding: 1, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var enlarged = nn.functional.interpolate(input, scale_factor: Twice, mode: InterpolationMode.Nearest);
        return conv.call(enlarged);
    }
}
