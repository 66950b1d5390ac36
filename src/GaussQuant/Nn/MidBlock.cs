using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// The bottleneck <c>mid</c>: two ResnetBlocks <c>block_1</c>, <c>block_2</c>. The authors' UNet has no mid attention
/// (unlike the SD/SD3 VAE, whose weights therefore do not load).
/// </summary>
public sealed class MidBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "block_1")]
    private readonly ResnetBlock first;
    [ComponentName(Name = "block_2")]
    private readonly ResnetBlock second;

    public MidBlock(long channels, double dropout = 0.0, Device? device = null) : base(nameof(MidBlock))
    {
        first = new ResnetBlock(channels, channels, dropout, device);
        second = new ResnetBlock(channels, channels, dropout, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var hidden = first.call(input);
        return second.call(hidden);
    }
}
